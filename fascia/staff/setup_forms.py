"""The forms of the owner's set-up pages. They only check and shape what was typed; the
actions in `fascia.practices.setup` and `fascia.scheduling.weekly_hours` do the saving."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fascia.practice_words import InBothLanguages, in_both_languages
from fascia.practices.modalities import Modality
from fascia.practices.models import (
    LONGEST_SERVICE_MINUTES,
    Location,
    Practice,
    Service,
    ServiceArea,
    Weekday,
)
from fascia.practices.setup import Length, Opening
from fascia.scheduling.weekly_hours import Break, Shift
from fascia.storage import check_picture

LENGTH_ROWS = 4


class PracticeDetailsForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 2 MB."),
    )

    class Meta:
        model = Practice
        fields = ["display_name", "phone", "email", "website", "brand_colour"]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            check_picture(logo)
        return logo


class ReceiptDetailsForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["name", "street", "unit", "city", "province", "postal_code", "tax_number"]


class CancellationPolicyForm(InBothLanguages):
    class Meta:
        model = Practice
        fields = in_both_languages(
            Practice,
            [
                "cancellation_policy",
                "cancellation_notice_hours",
                "late_cancellation_fee_percent",
                "minimum_notice_minutes",
                "booking_window_days",
            ],
        )

    def clean_cancellation_policy_en(self) -> str:
        policy = (self.cleaned_data["cancellation_policy_en"] or "").strip()
        if not policy:
            raise ValidationError(_("Clients accept this before their first visit: write it."))
        return policy


class RemindersForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["reminder_lead_hours", "sends_text_messages"]


def _time(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class LocationForm(InBothLanguages):
    rooms = forms.CharField(
        label=_("Treatment rooms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. Room 1. A mobile location has none."),
    )

    class Meta:
        model = Location
        fields = in_both_languages(
            Location,
            [
                "name",
                "kind",
                "street",
                "unit",
                "city",
                "province",
                "postal_code",
                "access_notes",
                "travel_base_fee",
                "travel_free_km",
                "travel_fee_per_km",
            ],
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in Weekday.choices:
            self.fields[f"opens_{day}"] = _time(_("%(day)s opens") % {"day": label})
            self.fields[f"closes_{day}"] = _time(_("%(day)s closes") % {"day": label})

    def main_fields(self) -> list[Any]:
        return [self[name] for name in [*self.Meta.fields, "rooms"]]

    def days(self) -> list[tuple[Any, Any, Any]]:
        return [
            (label, self[f"opens_{day}"], self[f"closes_{day}"]) for day, label in Weekday.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day, label in Weekday.choices:
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if bool(opens) != bool(closes):
                self.add_error(
                    f"closes_{day}",
                    _("%(day)s: give both the opening and the closing time, or neither.")
                    % {"day": label},
                )
        return data

    def room_names(self) -> list[str]:
        return self.cleaned_data["rooms"].splitlines()

    def opening_hours(self) -> list[Opening]:
        data = self.cleaned_data
        return [
            Opening(day, data[f"opens_{day}"], data[f"closes_{day}"])
            for day, _label in Weekday.choices
            if data.get(f"opens_{day}") and data.get(f"closes_{day}")
        ]

    def location_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ServiceAreaForm(forms.ModelForm):
    centre = forms.CharField(
        label=_("Centre of the area (latitude, longitude)"),
        help_text=_(
            "From any map: the middle of the town or region, e.g. 43.5183, -79.8774. Fascia "
            "uses it to estimate drive times."
        ),
    )
    prefixes = forms.CharField(
        label=_("Postal-code prefixes"),
        help_text=_("The first three characters of the postal codes served, e.g. L9T, L9E."),
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Days served"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day the therapist works."),
    )
    served_from = forms.ModelMultipleChoiceField(
        label=_("Served from"),
        queryset=Location.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ServiceArea
        fields = ["name"]

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.practice = practice
        mobile = Location.objects.for_practice(practice).filter(
            kind=Location.Kind.MOBILE, is_active=True
        )
        self.fields["served_from"].queryset = mobile  # type: ignore[attr-defined]
        area = self.instance
        if area.pk:
            self.initial.update(
                centre=f"{area.centroid_latitude}, {area.centroid_longitude}",
                prefixes=", ".join(area.postal_prefixes),
                days=area.weekdays,
                served_from=list(area.locations.all()),
            )

    def clean_centre(self) -> tuple[Decimal, Decimal]:
        parts = self.cleaned_data["centre"].replace(";", ",").split(",")
        try:
            latitude, longitude = (Decimal(part.strip()) for part in parts)
        except (ValueError, ArithmeticError) as error:
            raise ValidationError(_("Give two numbers, e.g. 43.5183, -79.8774.")) from error
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError(_("That is not a place on earth: check the two numbers."))
        return round(latitude, 6), round(longitude, 6)

    def area_fields(self) -> dict[str, Any]:
        latitude, longitude = self.cleaned_data["centre"]
        prefixes = self.cleaned_data["prefixes"].replace(";", ",").replace(" ", ",").split(",")
        return {
            "name": self.cleaned_data["name"],
            "centroid_latitude": latitude,
            "centroid_longitude": longitude,
            "postal_prefixes": [prefix.strip().upper() for prefix in prefixes if prefix.strip()],
            "weekdays": self.cleaned_data["days"],
        }


class ServiceForm(InBothLanguages):
    class Meta:
        model = Service
        fields = in_both_languages(
            Service,
            [
                "name",
                "modality",
                "description",
                "in_clinic",
                "in_home",
                "bookable_online",
                "taxable",
                "buffer_before_minutes",
                "buffer_after_minutes",
            ],
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lengths = list(self.instance.durations.order_by("minutes")) if self.instance.pk else []
        for row in range(LENGTH_ROWS):
            self.fields[f"minutes_{row}"] = forms.IntegerField(
                label=_("Length %(n)s (minutes)") % {"n": row + 1},
                required=False,
                min_value=5,
                max_value=LONGEST_SERVICE_MINUTES,
            )
            self.fields[f"price_{row}"] = forms.DecimalField(
                label=_("Price %(n)s ($)") % {"n": row + 1},
                required=False,
                min_value=Decimal(0),
                max_digits=8,
                decimal_places=2,
            )
            if row < len(lengths):
                self.initial[f"minutes_{row}"] = lengths[row].minutes
                self.initial[f"price_{row}"] = lengths[row].price

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.Meta.fields]

    def length_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"minutes_{row}"], self[f"price_{row}"]) for row in range(LENGTH_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(LENGTH_ROWS):
            minutes, price = data.get(f"minutes_{row}"), data.get(f"price_{row}")
            if (minutes is None) != (price is None):
                self.add_error(f"price_{row}", _("Give both the length and its price."))
        return data

    def lengths(self) -> list[Length]:
        data = self.cleaned_data
        return [
            Length(data[f"minutes_{row}"], data[f"price_{row}"])
            for row in range(LENGTH_ROWS)
            if data.get(f"minutes_{row}") is not None and data.get(f"price_{row}") is not None
        ]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


SHIFTS_PER_DAY = 2


class WeeklyHoursForm(forms.Form):
    """A therapist's week: up to two shifts a day (at any of the practice's locations) and a
    break."""

    techniques = forms.MultipleChoiceField(
        label=_("Techniques offered"),
        choices=Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Clients can book this therapist for the services using these techniques."),
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locations = list(Location.objects.for_practice(practice).filter(is_active=True))
        choices = [("", _("Not working"))] + [(str(loc.pk), loc.name) for loc in self.locations]
        for day, label in Weekday.choices:
            for shift in range(SHIFTS_PER_DAY):
                self.fields[f"where_{day}_{shift}"] = forms.ChoiceField(
                    label=_("%(day)s, shift %(n)s: where") % {"day": label, "n": shift + 1},
                    choices=choices,
                    required=False,
                )
                self.fields[f"start_{day}_{shift}"] = _time(
                    _("%(day)s, shift %(n)s: from") % {"day": label, "n": shift + 1}
                )
                self.fields[f"end_{day}_{shift}"] = _time(
                    _("%(day)s, shift %(n)s: until") % {"day": label, "n": shift + 1}
                )
            self.fields[f"break_start_{day}"] = _time(_("%(day)s: break from") % {"day": label})
            self.fields[f"break_end_{day}"] = _time(_("%(day)s: break until") % {"day": label})

    @classmethod
    def initial_for(cls, shifts: list[Any], breaks: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        used: dict[int, int] = {}
        for shift in sorted(shifts, key=lambda s: (s.weekday, s.starts_at)):
            row = used.get(shift.weekday, 0)
            if row >= SHIFTS_PER_DAY:
                continue
            used[shift.weekday] = row + 1
            initial[f"where_{shift.weekday}_{row}"] = str(shift.location_id)
            initial[f"start_{shift.weekday}_{row}"] = shift.starts_at
            initial[f"end_{shift.weekday}_{row}"] = shift.ends_at
        for pause in breaks:
            initial[f"break_start_{pause.weekday}"] = pause.starts_at
            initial[f"break_end_{pause.weekday}"] = pause.ends_at
        return initial

    def days(self) -> list[tuple[Any, list[tuple[Any, Any, Any]], Any, Any]]:
        return [
            (
                label,
                [
                    (self[f"where_{day}_{n}"], self[f"start_{day}_{n}"], self[f"end_{day}_{n}"])
                    for n in range(SHIFTS_PER_DAY)
                ],
                self[f"break_start_{day}"],
                self[f"break_end_{day}"],
            )
            for day, label in Weekday.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day, label in Weekday.choices:
            for n in range(SHIFTS_PER_DAY):
                given = [data.get(f"{part}_{day}_{n}") for part in ("where", "start", "end")]
                if any(given) and not all(given):
                    self.add_error(
                        f"end_{day}_{n}",
                        _("%(day)s: give the location and both times of the shift.")
                        % {"day": label},
                    )
            if bool(data.get(f"break_start_{day}")) != bool(data.get(f"break_end_{day}")):
                self.add_error(f"break_end_{day}", _("Give both times of the break."))
        return data

    def shifts(self) -> list[Shift]:
        by_id = {str(loc.pk): loc for loc in self.locations}
        data = self.cleaned_data
        return [
            Shift(
                day,
                by_id[data[f"where_{day}_{n}"]],
                data[f"start_{day}_{n}"],
                data[f"end_{day}_{n}"],
            )
            for day, _label in Weekday.choices
            for n in range(SHIFTS_PER_DAY)
            if data.get(f"where_{day}_{n}") in by_id
            and data.get(f"start_{day}_{n}")
            and data.get(f"end_{day}_{n}")
        ]

    def breaks(self) -> list[Break]:
        data = self.cleaned_data
        return [
            Break(day, data[f"break_start_{day}"], data[f"break_end_{day}"])
            for day, _label in Weekday.choices
            if data.get(f"break_start_{day}") and data.get(f"break_end_{day}")
        ]
