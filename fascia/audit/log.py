"""The one function that writes the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

from fascia.audit.chain import append_entry
from fascia.audit.models import AuditAction, AuditEntry

if TYPE_CHECKING:
    from fascia.practices.models import Practice


def record_access(
    *,
    practice: Practice,
    actor: Any,
    action: AuditAction,
    record: models.Model | None = None,
    record_type: str = "",
    client: Any = None,
    request: HttpRequest | None = None,
    role: str = "",
    detail: str = "",
) -> AuditEntry:
    """Write one audit entry for an access to personal health information.

    `record` is what was touched (its type and id are stored); `client` is whose information it
    is (for a client's own record, the record itself). Call it inside the action's transaction
    so a failed write leaves no entry claiming it happened.
    """
    if record is not None:
        record_type = record._meta.label_lower
    if client is None and record is not None and record._meta.label_lower == "clients.client":
        client = record
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if request is not None and not role:
        role = getattr(request, "staff_role", None) or ("client" if user else "")
    return append_entry(
        practice=practice,
        actor=user,
        actor_label=user.email if user else ("anonymous" if request is not None else "system"),
        role=role or "",
        action=action,
        client=client,
        record_type=record_type,
        record_id=str(record.pk) if record is not None and record.pk is not None else "",
        detail=detail[:255],
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )


def record_view(
    request: HttpRequest,
    client: Any,
    *,
    record: models.Model | None = None,
    record_type: str = "",
    action: AuditAction = AuditAction.VIEW,
    role: str = "",
    detail: str = "",
) -> AuditEntry:
    """The audit entry of a page or API answer showing a client's information to the person
    signed in: the one line every view that shows health information calls."""
    return record_access(
        practice=client.practice,
        actor=request.user,
        action=action,
        record=record,
        record_type=record_type,
        client=client if record is None or record._meta.label_lower != "clients.client" else None,
        request=request,
        role=role,
        detail=detail,
    )


def record_search(
    request: HttpRequest, practice: Practice, *, record_type: str, detail: str
) -> AuditEntry:
    """The audit entry of a list or search of the practice's records (the client list, the
    schedule, the incomplete-records list): who looked, at what kind of record, and how."""
    return record_access(
        practice=practice,
        actor=request.user,
        action=AuditAction.SEARCH,
        record_type=record_type,
        request=request,
        detail=detail,
    )


def record_list_view(
    request: HttpRequest,
    clients: Iterable[Any],
    *,
    record_type: str,
    detail: str = "",
    action: AuditAction = AuditAction.VIEW,
) -> list[AuditEntry]:
    """The audit entries of a page or API answer showing several clients' information at once
    (a therapist's day or run sheet): one entry per client shown, so "who saw this client's
    record?" finds it."""
    shown = {client.pk: client for client in clients}
    return [
        record_view(request, client, record_type=record_type, action=action, detail=detail)
        for client in shown.values()
    ]
