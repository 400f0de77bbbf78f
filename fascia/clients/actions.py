"""Every write to a client's record goes through these actions, from views, API, admin and
commands alike. Each runs in one transaction and writes its audit entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

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
    registered_at: datetime | None = None,
    **fields: Any,
) -> Client:
    """Add a client to the practice. Raises ValidationError (nothing saved) on bad input.
    `registered_at` keeps the date a client brought from another system first came."""
    client = Client(practice=practice, **fields)
    client.consents_updated_at = timezone.now()
    client.full_clean()
    with transaction.atomic():
        client.save()
        if registered_at is not None:
            Client.objects.filter(pk=client.pk).update(created_at=registered_at)
            client.created_at = registered_at
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


class AccountExists(Exception):
    """The email already belongs to a login: the person should sign in instead."""


def register_client_account(
    practice: Practice,
    *,
    email: str,
    password: str | None,
    legal_first_name: str,
    legal_last_name: str,
    phone: str = "",
    preferred_language: str = "en",
    request: HttpRequest | None = None,
) -> Client:
    """A new person books online: their login and their client record, together or not at all.
    `password=None` makes an account without one yet (it signs in by its emailed link, then
    chooses a password). They are written to in the language they used (`preferred_language`)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    user_model = get_user_model()
    email = email.strip().lower()
    if user_model.objects.filter(email=email).exists():
        raise AccountExists(gettext("An account with this email already exists; please sign in."))
    if password is not None:
        candidate = user_model(email=email, full_name=f"{legal_first_name} {legal_last_name}")
        validate_password(password, candidate)
    with transaction.atomic():
        user = user_model.objects.create_user(
            email,
            password,
            full_name=f"{legal_first_name} {legal_last_name}".strip(),
            # Only an emailed link opens an account, so following it proved the address.
            email_verified_at=timezone.now(),
            language=preferred_language,
        )
        return register_client(
            practice,
            by=user,
            request=request,
            user=user,
            email=email,
            phone=phone,
            legal_first_name=legal_first_name,
            legal_last_name=legal_last_name,
            preferred_language=preferred_language,
        )
