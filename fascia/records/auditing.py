"""The audit entry every record action writes."""

from __future__ import annotations

from typing import Any

from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client


def audit_record(
    action: AuditAction, record: Any, client: Client, by: Any, request: Any, detail: str = ""
) -> None:
    record_access(
        practice=client.practice,
        actor=by,
        action=action,
        record=record,
        client=client,
        request=request,
        detail=detail,
    )
