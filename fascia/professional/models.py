"""What the regulator and the association expect a practice to keep besides the clinical
record: each therapist's registration renewal, liability insurance, continuing education and
CPR/first aid, and each location's equipment with its cleaning, servicing and inspection
history. Rules and actions: `standing.py`, `actions.py`, `reminders.py`."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned
from fascia.storage import private_storage


class LiabilityInsurance(PracticeOwned):
    """One professional liability insurance policy of a therapist, for one period."""

    therapist = models.ForeignKey(
        "practices.Therapist", on_delete=models.CASCADE, related_name="insurance_policies"
    )
    insurer = models.CharField(_("insurer"), max_length=120)
    policy_number = models.CharField(_("policy number"), max_length=60)
    coverage = models.DecimalField(
        _("coverage ($)"), max_digits=12, decimal_places=2, help_text=_("Per claim, in dollars.")
    )
    starts_on = models.DateField(_("starts on"))
    expires_on = models.DateField(_("expires on"))

    class Meta:
        ordering = ["-expires_on"]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number}"


class EducationCategory(models.TextChoices):
    COURSE = "course", _("Course or workshop")
    CONFERENCE = "conference", _("Conference")
    SELF_DIRECTED = "self_directed", _("Self-directed learning")
    QUALITY_ASSURANCE = "quality_assurance", _("Quality-assurance programme")
    TEACHING = "teaching", _("Teaching or mentoring")


class ContinuingEducation(PracticeOwned):
    """A continuing-education or quality-assurance activity, with its certificate (kept in
    protected storage, served only to the therapist and the owner)."""

    therapist = models.ForeignKey(
        "practices.Therapist", on_delete=models.CASCADE, related_name="education"
    )
    completed_on = models.DateField(_("completed on"))
    title = models.CharField(_("activity"), max_length=200)
    provider = models.CharField(_("provider"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=EducationCategory.choices)
    credits = models.DecimalField(_("hours or credits"), max_digits=5, decimal_places=1)
    certificate = models.FileField(
        _("certificate"), storage=private_storage, upload_to="certificates/", blank=True
    )

    class Meta:
        ordering = ["-completed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class FirstAidCertificate(PracticeOwned):
    """CPR or first-aid certification, where the practice tracks it."""

    class Kind(models.TextChoices):
        CPR = "cpr", _("CPR")
        FIRST_AID = "first_aid", _("First aid")
        CPR_AND_FIRST_AID = "both", _("CPR and first aid")

    therapist = models.ForeignKey(
        "practices.Therapist", on_delete=models.CASCADE, related_name="first_aid_certificates"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    provider = models.CharField(_("provider"), max_length=120)
    expires_on = models.DateField(_("expires on"))

    class Meta:
        ordering = ["-expires_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} until {self.expires_on}"


class Equipment(PracticeOwned):
    """A device used to examine or treat clients at a location."""

    class Kind(models.TextChoices):
        TABLE = "table", _("Treatment table")
        HYDROCOLLATOR = "hydrocollator", _("Hydrocollator")
        PARAFFIN_BATH = "paraffin_bath", _("Paraffin bath")
        ELECTROTHERAPY = "electrotherapy", _("Ultrasound or TENS")
        HYDROTHERAPY = "hydrotherapy", _("Hydrotherapy equipment")
        EXERCISE = "exercise", _("Exercise equipment")
        OTHER = "other", _("Other")

    location = models.ForeignKey(
        "practices.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="equipment",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    service_every_days = models.PositiveIntegerField(
        _("service every (days)"),
        default=365,
        help_text=_("How often it must be serviced or inspected."),
    )
    in_use = models.BooleanField(_("in use"), default=True)
    in_use_since = models.DateField(_("in use since"), default=timezone.localdate)

    class Meta:
        ordering = ["location", "name"]
        verbose_name_plural = "equipment"

    def __str__(self) -> str:
        return self.name


class EquipmentService(PracticeOwned):
    """One cleaning, servicing, inspection or repair of a piece of equipment."""

    class Kind(models.TextChoices):
        CLEANING = "cleaning", _("Cleaning")
        SERVICING = "servicing", _("Servicing")
        INSPECTION = "inspection", _("Inspection")
        REPAIR = "repair", _("Repair")

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    done_on = models.DateField(_("done on"))
    done_by = models.CharField(_("done by"), max_length=120)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on}"


# Servicing and inspection reset the clock; cleaning and repair do not.
RESETS_SERVICE_CLOCK = (EquipmentService.Kind.SERVICING, EquipmentService.Kind.INSPECTION)


def next_service_due(equipment: Equipment, last_serviced: date | None) -> date:
    """When the equipment is next due: its interval after the last servicing or inspection
    (or after it was added, if it never had one)."""
    since = last_serviced or equipment.in_use_since
    return since + timedelta(days=equipment.service_every_days)
