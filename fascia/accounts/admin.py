from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from fascia.accounts.models import StaffMember, User
from fascia.practices.admin import PracticeScopedAdmin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Logins span practices, so only platform superusers manage them here."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_superuser"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(StaffMember)
class StaffMemberAdmin(PracticeScopedAdmin):
    list_display = ["user", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["user"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Adding a person needs an invitation flow (a later issue); only operators add here.
        return bool(request.user.is_superuser)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.readonly_fields
