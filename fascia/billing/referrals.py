"""Physician referral notes: uploaded (PDF or image) to protected storage, and the warning at
booking when the client's plan requires a referral that is missing or expired."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.billing.errors import BillingError
from fascia.billing.models import InsurancePolicy, ReferralNote
from fascia.clients.models import Client
from fascia.storage import document_kind

MAX_BYTES = 10 * 1024 * 1024


def upload_referral(
    client: Client,
    *,
    document: UploadedFile,
    physician: str,
    issued_on: date,
    expires_on: date | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> ReferralNote:
    if not physician.strip():
        raise BillingError(_("Name the physician who wrote the referral."))
    if expires_on is not None and expires_on < issued_on:
        raise BillingError(_("The referral cannot expire before it was issued."))
    if document.size is None or document.size > MAX_BYTES:
        raise BillingError(_("The file must be at most 10 MB."))
    if document_kind(document) is None:
        raise BillingError(_("Upload the referral as a PDF, PNG or JPEG."))
    with transaction.atomic():
        note = ReferralNote.objects.create(
            practice=client.practice,
            client=client,
            document=document,
            physician=physician.strip(),
            issued_on=issued_on,
            expires_on=expires_on,
            uploaded_at=now or timezone.now(),
            uploaded_by=acting_user(by),
        )
        record_access(
            practice=client.practice,
            actor=by,
            action=AuditAction.CREATE,
            record=note,
            client=client,
            request=request,
        )
    return note


def referral_warnings(client: Client, start: datetime, service: Any = None) -> list[str]:
    """Booking warnings: each active plan that needs a referral without one valid that day."""
    day = timezone.localtime(start, client.practice.zone).date()
    plans = InsurancePolicy.objects.filter(client=client, is_active=True, referral_required=True)
    if not plans:
        return []
    notes = list(ReferralNote.objects.filter(client=client))
    if any(note.valid_on(day) for note in notes):
        return []
    expired = max(
        (n.expires_on for n in notes if n.expires_on and n.expires_on < day), default=None
    )
    why = f"the last one expired on {expired:%B %-d, %Y}" if expired else "none is on file"
    return [
        f"{plan.insurer} requires a physician's referral for massage therapy, and {why}: "
        "the client may not be reimbursed."
        for plan in plans
    ]
