"""Informed consent: recorded with its six elements, and withdrawn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.modalities import modality_labels
from fascia.records import body
from fascia.records.auditing import audit_record
from fascia.records.body import AREAS
from fascia.records.errors import RecordError
from fascia.records.models import (
    Consent,
    ConsentMethod,
    ConsentScope,
    Pressure,
    TreatmentPlan,
)
from fascia.scheduling.models import Appointment, AppointmentStatus


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
    # The client signed by typing their name rather than drawing (keyboard or screen reader):
    # the typed name is the signature, as when a client signs online.
    signed_by_typing: bool = False

    @property
    def written_signature(self) -> str:
        if self.signature.strip():
            return self.signature
        return self.signed_name.strip() if self.signed_by_typing else ""


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
        reasons.append(_("Say whether consent was verbal or written."))
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
        reasons.append(_("Tell the client consent can be withdrawn at any time, and record it."))
    if request_.method == ConsentMethod.WRITTEN and not (
        request_.written_signature.strip() and request_.signed_name.strip()
    ):
        reasons.append(
            "Written consent needs the client's signature (drawn, or their typed name) and "
            "printed name."
        )
    unknown = body.unknown_areas(list(request_.areas))
    if unknown:
        reasons.append(f"Unknown body areas: {', '.join(unknown)}.")
    if request_.scope == ConsentScope.SENSITIVE_AREA and not body.sensitive_areas(
        list(request_.areas)
    ):
        reasons.append(_("Name the sensitive areas this consent covers."))
    for record, name in ((request_.appointment, "appointment"), (request_.plan, "plan")):
        if record is not None and record.client_id != client.pk:
            reasons.append(f"That {name} is another client's.")
    if reasons:
        raise RecordError(_("The consent cannot be recorded yet."), reasons)
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
            signature=request_.written_signature,
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
        raise RecordError(_("Record what the client said when withdrawing consent."))
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at=None, given=True).update(
            withdrawn_at=now or timezone.now(), withdrawal_note=note.strip()
        )
        if not updated:
            raise RecordError(_("This consent is not in force (refused or already withdrawn)."))
        consent.refresh_from_db()
        audit_record(AuditAction.CHANGE, consent, consent.client, by, request, "withdrawn")
    return consent


def consent_starting_text(
    plan: TreatmentPlan | None, appointment: Appointment | None
) -> dict[str, Any]:
    """What the consent form starts with: the plan's (or the visit's) treatment in plain words,
    for the therapist to go over with the client and change as needed. The therapist still
    explains each element; this only saves typing the same sentences every time."""
    starting: dict[str, Any] = {
        "alternatives": _(
            "Self-care and exercise on their own; another kind of care (for example "
            "physiotherapy or chiropractic); or no treatment."
        ),
        "consequences": _("The symptoms may continue or get worse, and recovery may take longer."),
        "risks": _(
            "Soreness or tenderness for a day or two; rarely, bruising or light-headedness on "
            "getting up."
        ),
        "benefits": _("Less pain and muscle tension, easier movement, and relaxation."),
    }
    if plan is not None:
        techniques = ", ".join(modality_labels(plan.techniques)).lower()
        areas = ", ".join(AREAS[code].label.lower() for code in plan.areas if code in AREAS)
        starting["nature"] = _(
            "%(techniques)s at %(pressure)s pressure to the %(areas)s, %(frequency)s."
        ) % {
            "techniques": techniques.capitalize(),
            "pressure": Pressure(plan.pressure).label.lower()
            if plan.pressure in Pressure.values
            else plan.pressure,
            "areas": areas,
            "frequency": plan.frequency,
        }
        starting["benefits"] = plan.goals
        if plan.after_effects.strip():
            starting["risks"] = plan.after_effects
        starting["areas"] = list(plan.areas)
    elif appointment is not None:
        starting["nature"] = _("%(service)s, %(minutes)s minutes.") % {
            "service": appointment.service.name,
            "minutes": appointment.duration_minutes,
        }
    return starting


def plans_awaiting_consent(client: Client) -> list[TreatmentPlan]:
    """The client's current treatment plans (not replaced) with no consent in force to them:
    what the client may read and sign online before their next visit."""
    consented = Consent.objects.filter(
        client=client, plan__isnull=False, withdrawn_at=None, given=True
    ).values("plan_id")
    return list(
        TreatmentPlan.objects.filter(client=client, replaced_by=None)
        .exclude(pk__in=consented)
        .select_related("therapist")
        .order_by("-created_at")
    )


def sign_plan_consent_online(
    plan: TreatmentPlan,
    *,
    signed_name: str,
    given: bool,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> Consent:
    """The client's written consent to (or refusal of) their treatment plan, signed with their
    typed name in their account, on the plan's own words (`consent_starting_text`), which the
    page showed them. It covers the plan and their next visit with the plan's therapist, so the
    therapist finds it on file when signing that visit's note."""
    now = now or timezone.now()
    client = plan.client
    person = acting_user(by)
    if client.user_id is None or person is None or person.pk != client.user_id:
        raise RecordError(_("Only the client may sign their own consent online."))
    if plan.replaced_by_id is not None:
        raise RecordError(_("This plan has been replaced; ask your therapist for the new one."))
    if not signed_name.strip():
        raise RecordError(_("Type your full name to sign."))
    words = consent_starting_text(plan, None)
    next_visit = (
        Appointment.objects.filter(
            client=client,
            therapist=plan.therapist,
            starts_at__gt=now,
            status=AppointmentStatus.BOOKED,
        )
        .order_by("starts_at")
        .first()
    )
    return record_consent(
        client,
        ConsentRequest(
            scope=ConsentScope.TREATMENT,
            nature=str(words["nature"]),
            benefits=str(words["benefits"]),
            risks=str(words["risks"]),
            alternatives=str(words["alternatives"]),
            consequences=str(words["consequences"]),
            withdrawal_explained=True,
            given=given,
            method=ConsentMethod.WRITTEN,
            appointment=next_visit,
            plan=plan,
            areas=tuple(plan.areas),
            signature=signed_name.strip(),
            signed_name=signed_name.strip(),
        ),
        by=by,
        request=request,
        now=now,
    )
