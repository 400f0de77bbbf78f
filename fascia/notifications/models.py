"""The outbox: every email and text message the practice sends, queued in the database and
delivered by the worker, so a message survives restarts and goes out at most once."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundMessage(PracticeOwned):
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    calendar_file = models.TextField(
        blank=True, help_text=_("An iCalendar (.ics) attachment, for emails about appointments.")
    )
    calendar_method = models.CharField(max_length=10, blank=True)
    attachment = models.CharField(
        max_length=60,
        blank=True,
        help_text=_(
            "A document to attach, drawn up when sent: 'kind:id' (e.g. receipt:42), "
            "rendered by the app named in settings.FASCIA_ATTACHMENTS."
        ),
    )
    dedupe_key = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Messages with the same key are queued once (e.g. one reminder per visit)."),
    )
    status = models.CharField(
        max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    send_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["send_after", "id"]
        indexes = [models.Index(fields=["status", "send_after"], name="outbox_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="outbox_unique_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to}: {self.subject or self.body[:40]}"
