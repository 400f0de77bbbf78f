from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from fascia.admin_site import is_practice_owner
from fascia.practices.models import (
    Location,
    Practice,
    Room,
    Service,
    ServiceArea,
    ServiceAreaDay,
    ServiceDuration,
    Therapist,
)
from fascia.practices.tenancy import PracticeOwned


class PracticeRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter on a related record that offers only the owner's practice's records
    (Django's own offers every practice's therapists and locations)."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list:
        related = field.related_model
        if request.user.is_superuser or not issubclass(related, PracticeOwned):
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False,
            ordering=ordering,
            limit_choices_to={"practice": getattr(request, "practice", None)},
        )


def _direct_field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class PracticeScopedAdmin(admin.ModelAdmin):
    """Admin for a practice-owned model: an owner sees and edits only their practice's rows,
    new rows join their practice, and choice lists offer only their practice's records."""

    allow_delete = False  # health and financial records are retained, never deleted

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(practice=getattr(request, "practice", None))

    def _may_manage(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or is_practice_owner(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_practice_owner(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allow_delete and self._may_manage(request)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if not change:
            obj.practice = request.practice  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_obj in formset.save(commit=False):
            if isinstance(inline_obj, PracticeOwned) and inline_obj.practice_id is None:
                inline_obj.practice = form.instance.practice
            inline_obj.save()
        for removed in formset.deleted_objects:
            removed.delete()
        formset.save_m2m()

    def get_list_filter(self, request: HttpRequest) -> Any:
        """Filters on a related record offer only this practice's records."""
        scoped: list[Any] = []
        for entry in super().get_list_filter(request):
            field = _direct_field(self.model, entry) if isinstance(entry, str) else None
            related = field is not None and field.is_relation and field.related_model
            scoped.append((entry, PracticeRelatedFilter) if related else entry)
        return scoped

    def _limit_to_practice(self, db_field: Any, request: HttpRequest, kwargs: dict) -> None:
        related = db_field.related_model
        if request.user.is_superuser or not issubclass(related, PracticeOwned):
            return
        kwargs["queryset"] = related.objects.filter(practice=getattr(request, "practice", None))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit_to_practice(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._limit_to_practice(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PracticeScopedInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser or is_practice_owner(request))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "display_name", "city", "tax_number", "time_zone"]
    search_fields = ["name", "display_name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "display_name", "slug", "logo"]}),
        ("Contact", {"fields": ["phone", "email", "website"]}),
        ("Address", {"fields": ["street", "unit", "city", "province", "postal_code"]}),
        ("Tax", {"fields": ["tax_number"]}),
        (
            "Cancellation policy",
            {"fields": ["cancellation_notice_hours", "cancellation_policy"]},
        ),
        (
            "Booking rules",
            {
                "fields": [
                    "time_zone",
                    "minimum_notice_minutes",
                    "booking_window_days",
                    "slot_step_minutes",
                    "works_statutory_holidays",
                    "slot_hold_minutes",
                    "reminder_lead_hours",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        practice = getattr(request, "practice", None)
        return queryset.filter(pk=practice.pk if practice else None)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or is_practice_owner(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RoomInline(PracticeScopedInline):
    model = Room
    fields = ["name", "is_active"]


@admin.register(Location)
class LocationAdmin(PracticeScopedAdmin):
    list_display = ["name", "kind", "city", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["service_areas"]
    inlines = [RoomInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "phone", "access_notes", "is_active"]}),
        (
            "Address",
            {
                "fields": ["street", "unit", "city", "province", "postal_code"],
                "description": "A clinic's address; for a mobile service, its base.",
            },
        ),
        (
            "Position",
            {
                "fields": ["latitude", "longitude"],
                "description": "Used for travel between places; left empty, the centroid of "
                "the service area covering the postal code is used.",
            },
        ),
        (
            "Home visits",
            {
                "fields": [
                    "service_areas",
                    "travel_base_fee",
                    "travel_free_km",
                    "travel_fee_per_km",
                ],
                "description": "Mobile services only: where they go and the travel fee "
                "(call-out fee, then a rate per road km beyond the free radius from the base).",
            },
        ),
    ]


class ServiceAreaDayInline(PracticeScopedInline):
    model = ServiceAreaDay
    fields = ["date", "served", "note"]
    extra = 0


@admin.register(ServiceArea)
class ServiceAreaAdmin(PracticeScopedAdmin):
    list_display = ["name", "centroid_latitude", "centroid_longitude", "prefix_list", "weekdays"]
    inlines = [ServiceAreaDayInline]
    search_fields = ["name"]
    allow_delete = True

    @admin.display(description="Postal-code prefixes")
    def prefix_list(self, obj: ServiceArea) -> str:
        return ", ".join(obj.postal_prefixes)


@admin.register(Therapist)
class TherapistAdmin(PracticeScopedAdmin):
    list_display = [
        "display_name",
        "registration_number",
        "registration_status",
        "accepting_new_clients",
        "is_active",
    ]
    list_filter = ["registration_status", "accepting_new_clients", "is_active"]
    search_fields = ["display_name", "registration_number"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user" and not request.user.is_superuser:
            # Only people already on this practice's staff; never another practice's users.
            from fascia.accounts.models import User

            kwargs["queryset"] = User.objects.filter(
                staff_memberships__practice=getattr(request, "practice", None)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ServiceDurationInline(PracticeScopedInline):
    model = ServiceDuration
    fields = ["minutes", "price"]


@admin.register(Service)
class ServiceAdmin(PracticeScopedAdmin):
    list_display = [
        "name",
        "modality",
        "taxable",
        "bookable_online",
        "in_clinic",
        "in_home",
        "is_active",
    ]
    list_filter = ["modality", "in_clinic", "in_home", "bookable_online", "is_active"]
    search_fields = ["name"]
    inlines = [ServiceDurationInline]
