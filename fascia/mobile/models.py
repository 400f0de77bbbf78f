"""Lone-worker safety: the therapist's check-ins around each home visit, and the alert raised
when "finished, safe" does not come in time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned


class CheckInKind(models.TextChoices):
    ON_MY_WAY = "on_my_way", _("On my way")
    ARRIVED = "arrived", _("Arrived")
    FINISHED_SAFE = "finished_safe", _("Finished, safe")


class SafetyCheckIn(PracticeOwned):
    """One tap on the therapist's phone; never changed or deleted (the log of a visit)."""

    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=CheckInKind.choices)
    at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appointment", "kind"], name="check_in_by_visit")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%H:%M}"


class SafetyAlert(PracticeOwned):
    """Raised once per visit when the therapist has not said "finished, safe" in time."""

    appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    message = models.TextField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Safety alert for {self.therapist} ({self.raised_at:%Y-%m-%d %H:%M})"


class ChangeAnswer(models.TextChoices):
    ASKED = "asked", _("Asked")
    AGREED = "agreed", _("Agreed; waiting for another client's answer")
    ACCEPTED = "accepted", _("Agreed and moved")
    DECLINED = "declined", _("Declined")


class VisitChangeRequest(PracticeOwned):
    """The practice asks a client to agree to another therapist or time for a home visit (the
    week planner's proposal). Nothing moves unless the client accepts, through the link in the
    message (its token kept only as a digest), before it expires."""

    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    previous_therapist = models.ForeignKey(
        "practices.Therapist", on_delete=models.PROTECT, related_name="+"
    )
    previous_start = models.DateTimeField()
    token_digest = models.CharField(max_length=64, unique=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answer = models.CharField(
        max_length=8, choices=ChangeAnswer.choices, default=ChangeAnswer.ASKED
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("visit change request")

    def __str__(self) -> str:
        return (
            f"visit {self.appointment_id} → {self.therapist_id} at {self.starts_at:%Y-%m-%d %H:%M}"
        )
