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
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record_type = models.CharField(max_length=60, help_text=_("e.g. clients.client"))
    record_id = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["practice", "client", "-at"], name="audit_by_client")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.record_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(_("Audit entries cannot be deleted."))
