"""Every write to a client's record goes through these actions, from views, API, admin and
commands alike. Each runs in one transaction and writes its audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.models import Practice

CONSENT_FIELDS = (
    "consents_to_email_reminders",
    "consents_to_sms_reminders",
    "consents_to_marketing_email",
)


def register_client(
    practice: Practice,
    *,
    by: Any,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Client:
    """Add a client to the practice. Raises ValidationError (nothing saved) on bad input."""
    client = Client(practice=practice, **fields)
    client.consents_updated_at = timezone.now()
    client.full_clean()
    with transaction.atomic():
        client.save()
        record_access(
            practice=practice, actor=by, action=AuditAction.CREATE, record=client, request=request
        )
    return client


def update_client(
    client: Client,
    *,
    by: Any,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Client:
    """Change a client's details. Raises ValidationError (nothing saved) on bad input."""
    changed = sorted(name for name, value in changes.items() if getattr(client, name) != value)
    if not changed:
        return client
    for name in changed:
        setattr(client, name, changes[name])
    if any(name in CONSENT_FIELDS for name in changed):
        client.consents_updated_at = timezone.now()
    client.full_clean()
    with transaction.atomic():
        client.save()
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=client,
            request=request,
            detail="Changed: " + ", ".join(changed),
        )
    return client
