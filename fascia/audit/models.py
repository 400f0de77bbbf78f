"""The append-only audit log of every access to personal health information (PHIPA; CMTO's
record-keeping standard requires an electronic audit log)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    PRINT = "print", _("Printed")
    EXPORT = "export", _("Exported")
    SEARCH = "search", _("Searched / listed")
    LOCKOUT = "lockout", _("Sign-in paused (too many failures)")
    EMERGENCY = "emergency", _("Opened in an emergency (not in their care)")
    DISPOSE = "dispose", _("Destroyed after the retention period")
    LOCKBOX = "lockbox", _("Opened a part the client locked (lawful exception)")
    REFUSED = "refused", _("Refused: asked for someone else's record")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntry(PracticeOwned):
    """Who did what to whose record, when, and from where. Never updated or deleted: the
    database refuses it too (see the triggers in this app's migrations)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, help_text=_("Email at the time of access."))
    role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    # Who the record was about, as the client's number: it outlives the client's record, which
    # is destroyed after the retention period (records/retention.py) while the log stays whole.
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    record_type = models.CharField(max_length=60, help_text=_("e.g. clients.client"))
    record_id = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The practice's hash chain (fascia/audit/chain.py): the entry's place in its practice's log,
    # the hash of the entry before it, and this entry's own hash over its fields and that one.
    # (Nullable so that adding them did not rebuild the table, whose triggers keep it
    # append-only; every entry written since has all three.)
    sequence = models.PositiveBigIntegerField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    entry_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["practice", "client", "-at"], name="audit_by_client"),
            models.Index(fields=["practice", "actor", "-at"], name="audit_by_actor"),
        ]
        constraints = [
            # One entry per place in a practice's chain: two writers can never fork it.
            models.UniqueConstraint(
                fields=["practice", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="audit_one_entry_per_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.record_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(_("Audit entries cannot be deleted."))


class AuditChainHead(PracticeOwned):
    """The last link of a practice's audit chain: locked by every writer of an entry, so the
    entries of one practice are chained one after another even when written at once."""

    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice"], name="audit_one_chain_per_practice")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id}:{self.sequence}:{self.entry_hash}"


class AuditCheckpoint(PracticeOwned):
    """Where a practice's chain stood on a day, written to the log output (and mailed to the
    owner where the platform says so): a copy kept outside the database shows a chain cut short
    at its end, which no hash inside the database can."""

    taken_on = models.DateField()
    taken_at = models.DateTimeField()
    sequence = models.PositiveBigIntegerField()
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "taken_on"], name="audit_checkpoint_daily")
        ]

    def __str__(self) -> str:
        return f"{self.taken_on}: {self.sequence}:{self.entry_hash}"
