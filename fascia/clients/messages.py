"""The practice writing to a client from their page: a message of its own (by email or text),
or the health-history form's private link. Both go through the outbox and into the audit log,
since what a practice says to a client may carry health information."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.links import link_marker
from fascia.notifications.models import Channel, OutboundMessage
from fascia.notifications.outbox import Message, enqueue

SMS_LIMIT = 480  # three text-message segments


def _address(client: Client, channel: str) -> str:
    if channel == Channel.EMAIL:
        if not client.email:
            raise ValidationError(_("The client has no email address: add one first."))
        return client.email
    if channel == Channel.SMS:
        if not client.phone:
            raise ValidationError(_("The client has no mobile number: add one first."))
        return client.phone
    raise ValidationError(_("Choose email or text message."))


def _send(
    client: Client, message: Message, *, by: Any, request: HttpRequest | None, detail: str
) -> OutboundMessage:
    with transaction.atomic():
        queued = enqueue(client.practice, message)
        assert queued is not None  # no dedupe key: always queued
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=queued,
            client=client,
            request=request,
            detail=detail,
        )
    return queued


def message_client(
    client: Client,
    *,
    channel: str,
    body: str,
    subject: str = "",
    by: Any,
    request: HttpRequest | None = None,
) -> OutboundMessage:
    """Send the client a message written by the practice. Raises ValidationError when it
    cannot be sent (no address, an empty or over-long text)."""
    to = _address(client, channel)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write the message first."))
    if channel == Channel.SMS and len(body) > SMS_LIMIT:
        raise ValidationError(
            _("A text message can be at most %(limit)d characters.") % {"limit": SMS_LIMIT}
        )
    practice = client.practice
    return _send(
        client,
        Message(
            channel=channel,
            to=to,
            subject=(
                subject.strip()
                or _("A message from %(practice)s") % {"practice": practice.public_name}
            )
            if channel == Channel.EMAIL
            else "",
            body=body,
        ),
        by=by,
        request=request,
        detail=f"message to the client by {channel}",
    )


def send_health_history_form(
    client: Client, *, by: Any, request: HttpRequest | None = None
) -> OutboundMessage:
    """Email the client a single-use link to fill in their health history (made when the
    message is sent, so the outbox never holds a way into the form)."""
    to = _address(client, Channel.EMAIL)
    practice = client.practice
    body = "\n".join(
        [
            _("Hello %(name)s,") % {"name": client.display_name},
            "",
            _(
                "Please fill in your health history before your next visit (about 5 minutes; "
                "you may skip any question). This private link works once:"
            ),
            link_marker("intake", client.pk),
            "",
            practice.public_name,
        ]
    )
    return _send(
        client,
        Message(
            channel=Channel.EMAIL,
            to=to,
            subject=_("Your health history for %(practice)s") % {"practice": practice.public_name},
            body=body,
        ),
        by=by,
        request=request,
        detail=gettext_noop("health-history form sent"),
    )
