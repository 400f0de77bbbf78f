"""Service areas: the towns or regions a practice's mobile therapists visit, the postal codes
each covers and the days it is served, with one-off exceptions (`ServiceAreaDay`). Models of
the `practices` app (imported by its `models` module)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fascia.practices.postal_codes import FSA_PATTERN, normalise_postal_code
from fascia.practices.tenancy import PracticeOwned


class ServiceArea(PracticeOwned):
    """A municipality or region a mobile therapist travels to, located by its centroid and the
    forward sortation areas (first three characters of a postal code) it covers."""

    name = models.CharField(_("name"), max_length=100)
    centroid_latitude = models.DecimalField(max_digits=9, decimal_places=6)
    centroid_longitude = models.DecimalField(max_digits=9, decimal_places=6)
    postal_prefixes = models.JSONField(
        _("postal-code prefixes (FSAs)"),
        default=list,
        blank=True,
        help_text=_("Forward sortation areas covered, e.g. L6P, L6R, L6S."),
    )
    weekdays = models.JSONField(
        _("days served"),
        default=list,
        blank=True,
        help_text=_(
            "Weekdays visited, 0 = Monday … 6 = Sunday; empty means every working day "
            "(e.g. [1] for Guelph on Tuesdays)."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="service_area_unique_name"),
            models.CheckConstraint(
                condition=Q(centroid_latitude__gte=-90) & Q(centroid_latitude__lte=90),
                name="service_area_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(centroid_longitude__gte=-180) & Q(centroid_longitude__lte=180),
                name="service_area_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.postal_prefixes, list):
            raise ValidationError({"postal_prefixes": _("Give a list of postal-code prefixes.")})
        prefixes = sorted({str(prefix).strip().upper() for prefix in self.postal_prefixes})
        invalid = [prefix for prefix in prefixes if not FSA_PATTERN.match(prefix)]
        if invalid:
            raise ValidationError(
                {"postal_prefixes": f"Not postal-code prefixes: {', '.join(invalid)}."}
            )
        self.postal_prefixes = prefixes
        if not isinstance(self.weekdays, list) or any(day not in range(7) for day in self.weekdays):
            raise ValidationError({"weekdays": _("Give weekdays as numbers 0 (Monday) to 6.")})
        self.weekdays = sorted(set(self.weekdays))

    def covers(self, postal_code: str) -> bool:
        return normalise_postal_code(postal_code)[:3] in self.postal_prefixes

    @property
    def centroid(self) -> tuple[float, float]:
        return float(self.centroid_latitude), float(self.centroid_longitude)


class ServiceAreaDay(PracticeOwned):
    """A one-off exception to an area's weekdays: an extra day there, or a usual day not."""

    area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField()
    served = models.BooleanField(
        default=True, help_text=_("Ticked: visits this area that day; unticked: not that day.")
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["area", "date"], name="service_area_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {'served' if self.served else _('not served')} on {self.date}"
