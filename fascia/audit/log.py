"""The one function that writes the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

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
    return AuditEntry.objects.create(
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
