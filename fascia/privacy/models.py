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


class LockedPart(models.TextChoices):
    """What part of their record a client withholds."""

    WHOLE_RECORD = "whole", _("My whole clinical record")
    HEALTH_HISTORY = "history", _("My health history (every version)")
    HISTORY_SECTION = "section", _("One section of my health history")
    TREATMENT_NOTE = "note", _("One treatment note")


class WithheldFrom(models.TextChoices):
    NAMED = "named", _("The practitioners I name")
    ALL_OTHERS = "others", _("Everyone in the practice except the practitioners I name")


class LawfulException(models.TextChoices):
    """When a locked record may be opened without the client's consent (PHIPA)."""

    SERIOUS_HARM = (
        "harm",
        _("To eliminate or reduce a significant risk of serious bodily harm (PHIPA s. 40(1))"),
    )
    REQUIRED_BY_LAW = (
        "law",
        _("Required by law: a summons, court order or the College's investigator (PHIPA s. 43)"),
    )
    CLIENT_ACCESS = (
        "access",
        _("The client's own request for a copy of their record (PHIPA s. 52)"),
    )


class LockboxDirective(PracticeOwned):
    """A client's instruction withholding or withdrawing consent to share part or all of their
    record with named practitioners, or with everyone in the practice but those named ("the
    lockbox", PHIPA ss. 20(2), 37(1)(a), 38(1)(a)). In force until the client lifts it."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    part = models.CharField(_("what is locked"), max_length=8, choices=LockedPart.choices)
    history_section = models.CharField(_("health-history section"), max_length=60, blank=True)
    note = models.ForeignKey(
        "records.TreatmentNote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("treatment note"),
    )
    withheld_from = models.CharField(_("withheld from"), max_length=8, choices=WithheldFrom.choices)
    practitioners = models.ManyToManyField(
        "practices.Therapist", related_name="+", blank=True, verbose_name=_("practitioners")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("lockbox instruction")

    def __str__(self) -> str:
        return f"client {self.client_id}: {self.part} withheld from {self.withheld_from}"


class LockboxOverride(PracticeOwned):
    """A locked record opened without the client's consent under a lawful exception: by whom,
    which exception, why, and until when. On the audit log and the owner's audit page."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    exception = models.CharField(
        _("lawful exception"), max_length=8, choices=LawfulException.choices
    )
    reason = models.TextField(_("why, in a sentence someone else can judge"))
    opened_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("lockbox override")

    def __str__(self) -> str:
        return f"{self.opened_by_id} → {self.client_id} until {self.ends_at:%Y-%m-%d %H:%M}"
