"""The privacy breach log (PHIPA s. 12(2); O. Reg. 329/04 s. 6.3): what happened to whose
information, how it was contained, the notice to each affected client, whether the Information
and Privacy Commissioner of Ontario (IPC) must be told, and when it was."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned


class BreachKind(models.TextChoices):
    """The IPC's four kinds, as its yearly statistics count them."""

    STOLEN = "stolen", _("Stolen")
    LOST = "lost", _("Lost")
    USED = "used", _("Used without authority")
    DISCLOSED = "disclosed", _("Disclosed without authority")


class BreachStatus(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_A_BREACH = "not_a_breach", _("Not a breach after all")


class IpcCategory(models.TextChoices):
    """The seven circumstances in which the IPC must be told (O. Reg. 329/04 s. 6.3)."""

    SNOOPING = "snooping", _("Someone used or disclosed it knowing they had no authority")
    THEFT = "theft", _("It was stolen")
    FURTHER_USE = "further_use", _("It was, or will be, used or disclosed further after the breach")
    PATTERN = "pattern", _("It is part of a pattern of similar breaches")
    MEMBER_DISCIPLINE = (
        "member_discipline",
        _("A college member's employment or privileges end, are suspended or restricted over it"),
    )
    OTHER_DISCIPLINE = (
        "other_discipline",
        _("Someone who is not a college member is disciplined over it"),
    )
    SIGNIFICANT = (
        "significant",
        _("It is significant (sensitive information, many people, several custodians involved)"),
    )


class NoticeMethod(models.TextChoices):
    EMAIL = "email", _("email")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    IN_PERSON = "in_person", _("in person")


class PrivacyBreach(PracticeOwned):
    """One suspected or confirmed breach. The clients affected are named; no health content is
    copied here — what happened is described in words."""

    discovered_at = models.DateTimeField(_("discovered"))
    occurred_on = models.DateField(_("happened on (if known)"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=BreachKind.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=BreachStatus.choices, default=BreachStatus.SUSPECTED
    )
    what_happened = models.TextField(_("what happened"))
    records_affected = models.TextField(_("records affected"))
    containment = models.TextField(_("containment: what was done to stop it"), blank=True)
    clients = models.ManyToManyField(
        "clients.Client", related_name="+", blank=True, verbose_name=_("clients affected")
    )
    # Counted when recorded, so the yearly statistics stay true after records are destroyed.
    people_affected = models.PositiveIntegerField(_("people affected"), default=0)
    ipc_categories = models.JSONField(_("why the IPC must be told"), default=list, blank=True)
    reported_to_ipc_on = models.DateField(_("reported to the IPC on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-discovered_at"]
        verbose_name = _("privacy breach")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.discovered_at:%Y-%m-%d}"

    @property
    def must_report_to_ipc(self) -> bool:
        return self.status != BreachStatus.NOT_A_BREACH and bool(self.ipc_categories)


class BreachNotice(PracticeOwned):
    """The notice of a breach to one affected client, at the first reasonable opportunity, with
    their right to complain to the IPC."""

    breach = models.ForeignKey(PrivacyBreach, on_delete=models.PROTECT, related_name="notices")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("told"))
    method = models.CharField(_("how"), max_length=20, choices=NoticeMethod.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["breach", "client"], name="privacy_one_notice_each")
        ]

    def __str__(self) -> str:
        return f"breach {self.breach_id} → client {self.client_id}"
