"""Queueing and delivering messages. Delivery claims each message with a compare-and-swap
(queued -> sending) before handing it to the backend, so two workers never send one twice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from fascia.links import fill_links
from fascia.notifications.models import Channel, MessageStatus, OutboundMessage
from fascia.notifications.sms import sms_backend
from fascia.practices.models import Practice

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 50
# A message left 'sending' this long was interrupted mid-send (the worker died); it is not
# retried, because the provider may already have sent it.
INTERRUPTED_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Message:
    channel: str
    to: str
    body: str
    subject: str = ""
    calendar_file: str = ""
    calendar_method: str = ""
    attachment: str = ""  # "kind:id", drawn up when sent (settings.FASCIA_ATTACHMENTS)
    dedupe_key: str = ""
    send_after: datetime | None = None


def enqueue(practice: Practice, message: Message) -> OutboundMessage | None:
    """Queue a message; None if one with the same dedupe key was already queued."""
    try:
        with transaction.atomic():
            return OutboundMessage.objects.create(
                practice=practice,
                channel=message.channel,
                to=message.to,
                subject=message.subject[:200],
                body=message.body,
                calendar_file=message.calendar_file,
                calendar_method=message.calendar_method,
                attachment=message.attachment,
                dedupe_key=message.dedupe_key,
                send_after=message.send_after or timezone.now(),
            )
    except IntegrityError:
        if (
            message.dedupe_key
            and OutboundMessage.objects.filter(
                practice=practice, dedupe_key=message.dedupe_key
            ).exists()
        ):
            return None
        raise


def email_person(practice: Practice | None, message: Message) -> None:
    """Queue an email in the practice's outbox, or, for a person with no practice (a platform
    operator, or an owner whose practice does not exist yet), send it straight away through
    Django's mail backend, its links made now."""
    if practice is not None:
        enqueue(practice, message)
        return
    EmailMessage(
        subject=message.subject,
        body=fill_links(message.body),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
    ).send()


def _deliver(message: OutboundMessage) -> None:
    body = fill_links(message.body)  # links with secrets exist only from here on
    if message.channel == Channel.SMS:
        sms_backend().send(message.to, body)
        return
    email = EmailMessage(
        subject=message.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
    )
    if message.calendar_file:
        method = message.calendar_method or "PUBLISH"
        email.attach(
            "appointment.ics",
            message.calendar_file,
            f"text/calendar; charset=utf-8; method={method}",
        )
    if message.attachment:
        email.attach(*attachment_for(message.attachment))
    email.send()


def attachment_for(reference: str) -> tuple[str, bytes, str]:
    """(file name, content, MIME type) of the document "kind:id" names, drawn up now by the
    renderer settings.FASCIA_ATTACHMENTS gives for its kind (the outbox keeps only the
    reference, never a copy of the document)."""
    kind, _, identifier = reference.partition(":")
    path = settings.FASCIA_ATTACHMENTS.get(kind)
    if path is None or not identifier.isdigit():
        raise ValueError(f"No renderer for the attachment {reference!r}.")
    render: Callable[[int], tuple[str, bytes, str]] = import_string(path)
    return render(int(identifier))


def deliver_due_messages(now: datetime | None = None) -> int:
    """Send what is due; returns how many were sent."""
    now = now or timezone.now()
    OutboundMessage.objects.filter(
        status=MessageStatus.SENDING, claimed_at__lt=now - INTERRUPTED_AFTER
    ).update(status=MessageStatus.FAILED, last_error="Interrupted while sending; not retried.")
    sent = 0
    due = OutboundMessage.objects.filter(
        status=MessageStatus.QUEUED, send_after__lte=now
    ).values_list("pk", flat=True)[:BATCH]
    for message_id in list(due):
        claimed = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if claimed != 1:
            continue  # another worker took it
        message = OutboundMessage.objects.get(pk=message_id)
        try:
            _deliver(message)
        except Exception as error:  # a backend failure must not stop the other messages
            logger.warning("Sending message %s failed: %s", message_id, error)
            retry = message.attempts < MAX_ATTEMPTS
            OutboundMessage.objects.filter(pk=message_id).update(
                status=MessageStatus.QUEUED if retry else MessageStatus.FAILED,
                send_after=now + timedelta(minutes=2**message.attempts),
                last_error=str(error)[:500],
            )
            continue
        OutboundMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.SENT, sent_at=timezone.now()
        )
        sent += 1
    return sent
