"""Informed consent: recorded with its six elements, and withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from fascia.accounts.practice_context import acting_user
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.records import body
from fascia.records.auditing import audit_record
from fascia.records.errors import RecordError
from fascia.records.models import (
    Consent,
    ConsentMethod,
    ConsentScope,
    TreatmentPlan,
)
from fascia.scheduling.models import Appointment


@dataclass
class ConsentRequest:
    scope: str
    nature: str
    benefits: str
    risks: str
    alternatives: str
    consequences: str
    withdrawal_explained: bool
    given: bool
    method: str
    appointment: Appointment | None = None
    plan: TreatmentPlan | None = None
    areas: tuple[str, ...] = ()
    signature: str = ""
    signed_name: str = ""


def record_consent(
    client: Client,
    request_: ConsentRequest,
    *,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Consent:
    """Record a consent decision with the six elements the regulator lists."""
    reasons = []
    if request_.scope not in ConsentScope.values:
        reasons.append(f"Unknown consent scope {request_.scope!r}.")
    if request_.method not in ConsentMethod.values:
        reasons.append("Say whether consent was verbal or written.")
    for label, text in (
        ("the nature of the treatment", request_.nature),
        ("its expected benefits", request_.benefits),
        ("its material risks and side effects", request_.risks),
        ("the alternatives", request_.alternatives),
        ("the likely consequences of not having it", request_.consequences),
    ):
        if not text.strip():
            reasons.append(f"Record {label}.")
    if not request_.withdrawal_explained:
        reasons.append("Tell the client consent can be withdrawn at any time, and record it.")
    if request_.method == ConsentMethod.WRITTEN and not (
        request_.signature.strip() and request_.signed_name.strip()
    ):
        reasons.append("Written consent needs the client's signature and printed name.")
    unknown = body.unknown_areas(list(request_.areas))
    if unknown:
        reasons.append(f"Unknown body areas: {', '.join(unknown)}.")
    if request_.scope == ConsentScope.SENSITIVE_AREA and not body.sensitive_areas(
        list(request_.areas)
    ):
        reasons.append("Name the sensitive areas this consent covers.")
    for record, name in ((request_.appointment, "appointment"), (request_.plan, "plan")):
        if record is not None and record.client_id != client.pk:
            reasons.append(f"That {name} is another client's.")
    if reasons:
        raise RecordError("The consent cannot be recorded yet.", reasons)
    with transaction.atomic():
        consent = Consent.objects.create(
            practice=client.practice,
            client=client,
            scope=request_.scope,
            appointment=request_.appointment,
            plan=request_.plan,
            areas=sorted(set(request_.areas)),
            nature=request_.nature.strip(),
            benefits=request_.benefits.strip(),
            risks=request_.risks.strip(),
            alternatives=request_.alternatives.strip(),
            consequences=request_.consequences.strip(),
            withdrawal_explained=True,
            given=request_.given,
            method=request_.method,
            signature=request_.signature,
            signed_name=request_.signed_name.strip(),
            recorded_by=acting_user(by),
            recorded_at=now or timezone.now(),
        )
        audit_record(
            AuditAction.CREATE,
            consent,
            client,
            by,
            request,
            f"{consent.get_scope_display()}: {'given' if consent.given else 'refused'}",
        )
    return consent


def withdraw_consent(
    consent: Consent, *, note: str, by: Any = None, request: Any = None, now: datetime | None = None
) -> Consent:
    if not note.strip():
        raise RecordError("Record what the client said when withdrawing consent.")
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at=None, given=True).update(
            withdrawn_at=now or timezone.now(), withdrawal_note=note.strip()
        )
        if not updated:
            raise RecordError("This consent is not in force (refused or already withdrawn).")
        consent.refresh_from_db()
        audit_record(AuditAction.CHANGE, consent, consent.client, by, request, "withdrawn")
    return consent
