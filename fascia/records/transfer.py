"""A therapist who leaves the practice takes the records of the clients in their care to their
new practice: they ask, the owner approves for the custodian (or refuses, saying why), and the
therapist downloads one archive — each client's whole record as JSON and as a readable PDF —
once approved. Every client's copy is an export on the audit log."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.models import Role
from fascia.accounts.practice_context import role_in
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.documents import document_language
from fascia.practices.models import Therapist
from fascia.records.care import clients_in_care_of
from fascia.records.errors import RecordError
from fascia.records.models import RecordTransfer
from fascia.records.whole_record import export_whole_record


def ask_to_take_records(
    therapist: Therapist, *, by: Any, reason: str, request: Any = None
) -> RecordTransfer:
    if therapist.user_id != getattr(by, "pk", None):
        raise RecordError(_("Only the therapist asks to take their clients' records."))
    if not reason.strip():
        raise RecordError(_("Say where the records go and why."))
    if RecordTransfer.objects.filter(
        therapist=therapist, approved_at__isnull=True, refused_at__isnull=True
    ).exists():
        raise RecordError(_("A request is already waiting for the owner."))
    with transaction.atomic():
        transfer = RecordTransfer.objects.create(
            practice=therapist.practice,
            therapist=therapist,
            asked_by=by,
            asked_at=timezone.now(),
            reason=reason.strip(),
        )
        record_access(
            practice=therapist.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=transfer,
            request=request,
            detail=gettext_noop("asked to take the records of clients in their care"),
        )
    return transfer


def decide_record_transfer(
    transfer: RecordTransfer,
    *,
    approve: bool,
    by: Any,
    refusal_reason: str = "",
    request: Any = None,
    now: datetime | None = None,
) -> RecordTransfer:
    """The owner, for the custodian, approves the transfer or refuses it with the reason."""
    if role_in(transfer.practice, by) != Role.OWNER:
        raise RecordError(_("Only the owner approves a transfer of records."))
    if transfer.approved_at or transfer.refused_at:
        raise RecordError(_("This request is already decided."))
    if not approve and not refusal_reason.strip():
        raise RecordError(_("A refusal says why."))
    now = now or timezone.now()
    with transaction.atomic():
        if approve:
            transfer.approved_by, transfer.approved_at = by, now
        else:
            transfer.refusal_reason, transfer.refused_at = refusal_reason.strip(), now
        transfer.save()
        record_access(
            practice=transfer.practice,
            actor=by,
            action=AuditAction.CHANGE,
            record=transfer,
            request=request,
            detail=gettext_noop("transfer approved")
            if approve
            else gettext_noop("transfer refused"),
        )
    return transfer


def transfer_archive(transfer: RecordTransfer, *, by: Any, request: Any = None) -> bytes:
    """The approved archive: for each client in the therapist's care, their whole record as
    JSON and as PDF (in the client's language), each copy audited."""
    if transfer.approved_at is None:
        raise RecordError(_("The owner has not approved this transfer."))
    if transfer.therapist.user_id != getattr(by, "pk", None):
        raise RecordError(_("Only the therapist downloads their clients' records."))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as written:
        for client in clients_in_care_of(transfer.therapist):
            folder = f"client-{client.pk}"
            for as_format in ("json", "pdf"):
                copy = export_whole_record(
                    client,
                    as_format=as_format,
                    by=by,
                    request=request,
                    language=document_language(client),
                )
                written.writestr(f"{folder}/record.{as_format}", copy)
    RecordTransfer.objects.filter(pk=transfer.pk).update(downloaded_at=timezone.now())
    return archive.getvalue()
