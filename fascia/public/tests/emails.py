"""Reading what the practice emailed, as the person would: the outbox sends, then the link."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core import mail

from fascia.notifications.models import OutboundMessage
from fascia.notifications.outbox import deliver_due_messages


def emailed_link(to: str, subject: str = "Confirm your booking") -> str:
    """The path of the booking-confirmation link emailed to `to`, made as the email goes out."""
    queued = OutboundMessage.objects.get(to=to, subject__startswith=subject)
    assert "/confirm/" not in queued.body  # the queued message holds no live link
    deliver_due_messages()
    sent = next(m for m in mail.outbox if m.to == [to] and "/confirm/" in m.body)
    return urlsplit(next(word for word in sent.body.split() if "/confirm/" in word)).path
