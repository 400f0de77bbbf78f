"""The clinical record through the API: health histories, screening alerts, consents, treatment
notes (draft, edit, sign, amend) and outcome measures. Every read of health information is
audited; every write goes through `fascia.records.actions`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from fascia.accounts.access import (
    CLIENT_DIRECTORY,
    CLIENT_RECORD,
    CLINICAL_RECORD,
    CLINICAL_RESULTS,
)
from fascia.api.booking import ERRORS
from fascia.api.lookups import appointment_for, client_of
from fascia.audit.log import record_view
from fascia.clients.models import Client
from fascia.privacy.lockbox import alerts_for, refuse_if_note_locked
from fascia.records import assessment, consents, history, notes
from fascia.records.care import refuse_unless_may_read
from fascia.records.models import Consent, HistorySource, OutcomeScore, TreatmentNote, TreatmentPlan
from fascia.validation import Integer, Text

router = Router(tags=["clinical record"])


class HistoryIn(Schema):
    answers: dict[Text, Any]
    skipped: dict[Text, Text] = Field(default_factory=dict, description="question → reason")


class AlertOut(Schema):
    rule: str
    kind: str
    message: str
    rationale: str
    area: str


class HistoryOut(Schema):
    id: int
    version: int
    answers: dict[str, Any]
    skipped: dict[str, str]
    alerts: list[AlertOut]


class ConsentIn(Schema):
    scope: Text = Field(description="assessment, treatment, plan_change or sensitive_area")
    nature: Text
    benefits: Text
    risks: Text
    alternatives: Text
    consequences: Text
    withdrawal_explained: bool
    given: bool
    method: Text = Field(description="verbal or written")
    appointment: Integer | None = None
    plan: Integer | None = None
    areas: list[Text] = Field(default_factory=list)
    signature: Text = ""
    signed_name: Text = ""


class ConsentOut(Schema):
    id: int
    scope: str
    given: bool
    method: str
    areas: list[str]
    appointment: int | None
    plan: int | None
    recorded_at: datetime
    withdrawn_at: datetime | None


class WithdrawIn(Schema):
    note: Text


class NoteStartIn(Schema):
    copy_last: bool = Field(False, description="Copy techniques, areas and plan from last visit.")


class NoteIn(Schema):
    subjective: Text | None = None
    objective: Text | None = None
    assessment: Text | None = None
    plan_text: Text | None = None
    techniques: list[Text] | None = None
    areas_treated: list[Text] | None = None
    pressure: Text | None = None
    client_response: Text | None = None
    body_chart: list[dict[Text, Any]] | None = None
    self_care: Text | None = None
    acknowledged_alerts: list[Text] | None = None
    plan: Integer | None = None


class AmendmentOut(Schema):
    id: int
    text: str
    reason: str
    created_at: datetime


class NoteOut(Schema):
    id: int
    appointment: int
    client: int
    therapist: int
    plan: int | None
    subjective: str
    objective: str
    assessment: str
    plan_text: str
    techniques: list[str]
    areas_treated: list[str]
    pressure: str
    client_response: str
    body_chart: list[dict[str, Any]]
    self_care: str
    acknowledged_alerts: list[str]
    signed_at: datetime | None
    amendments: list[AmendmentOut]
    alerts: list[AlertOut]


class AmendmentIn(Schema):
    text: Text
    reason: Text


class OutcomeIn(Schema):
    measure: Text = Field(description="nprs, psfs, ndi, odi, lefs or uefi")
    answers: list[Integer | None]
    activities: list[Text] = Field(default_factory=list)
    appointment: Integer | None = None


class OutcomeOut(Schema):
    id: int
    measure: str
    value: Decimal | None
    complete: bool
    band: str
    note: str
    recorded_at: datetime


def _note(request: HttpRequest, note_id: int) -> TreatmentNote:
    found = (
        TreatmentNote.objects.for_practice(request.practice)  # type: ignore[attr-defined]
        .select_related("client__practice", "therapist")
        .filter(pk=note_id)
        .first()
    )
    if found is None:
        raise HttpError(404, _("No treatment note %(note_id)s.") % {"note_id": note_id})
    refuse_unless_may_read(request.user, found.client)
    refuse_if_note_locked(request.user, found)
    return found


def _record_of(request: HttpRequest, client_id: int) -> Client:
    """The client whose clinical record the operation touches: a therapist only of clients in
    their care (403 otherwise)."""
    client = client_of(request, client_id)
    refuse_unless_may_read(request.user, client)
    return client


def _alerts(request: HttpRequest, client: Client) -> list[dict[str, Any]]:
    return [
        {
            "rule": alert.rule,
            "kind": str(alert.kind),
            "message": alert.message,
            "rationale": alert.rationale,
            "area": alert.area,
        }
        for alert in alerts_for(request.user, client)[0]
    ]


def _note_out(request: HttpRequest, note: TreatmentNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "appointment": note.appointment_id,
        "client": note.client_id,
        "therapist": note.therapist_id,
        "plan": note.plan_id,
        **{
            name: getattr(note, name)
            for name in (
                "subjective",
                "objective",
                "assessment",
                "plan_text",
                "techniques",
                "areas_treated",
                "pressure",
                "client_response",
                "body_chart",
                "self_care",
                "acknowledged_alerts",
                "signed_at",
            )
        },
        "amendments": [
            {"id": a.pk, "text": a.text, "reason": a.reason, "created_at": a.created_at}
            for a in note.amendments.all()
        ],
        "alerts": _alerts(request, note.client),
    }


def _consent_out(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "scope": consent.scope,
        "given": consent.given,
        "method": consent.method,
        "areas": consent.areas,
        "appointment": consent.appointment_id,
        "plan": consent.plan_id,
        "recorded_at": consent.recorded_at,
        "withdrawn_at": consent.withdrawn_at,
    }


@router.post(
    "/clients/{client_id}/health-history",
    response={201: HistoryOut, **ERRORS},
    auth=CLIENT_RECORD.api(),
)
def submit_history(request: HttpRequest, client_id: Integer, payload: HistoryIn) -> Any:
    """A new version of the client's health history (by the client, or staff with them)."""
    client = _record_of(request, client_id)
    by_staff = getattr(request, "practice", None) == client.practice
    version = history.submit_health_history(
        client,
        answers=payload.answers,
        skipped=payload.skipped,
        source=HistorySource.STAFF if by_staff else HistorySource.ONLINE,
        by=request.user,
        request=request,
    )
    return Status(
        201,
        {
            "id": version.pk,
            "version": version.version,
            "answers": version.answers,
            "skipped": version.skipped,
            "alerts": _alerts(request, client) if by_staff else [],
        },
    )


@router.get(
    "/clients/{client_id}/alerts",
    response={200: list[AlertOut], **ERRORS},
    auth=CLIENT_DIRECTORY.api(),
)
def alerts(request: HttpRequest, client_id: Integer) -> Any:
    """The screening result of the client's current health history, defer-and-refer first."""
    client = _record_of(request, client_id)
    record_view(request, client, record_type="records.alerts")
    return _alerts(request, client)


@router.post(
    "/clients/{client_id}/consents",
    response={201: ConsentOut, **ERRORS},
    auth=CLINICAL_RECORD.api(),
)
def record_consent(request: HttpRequest, client_id: Integer, payload: ConsentIn) -> Any:
    client = _record_of(request, client_id)
    appointment = appointment_for(request, payload.appointment)[0] if payload.appointment else None
    plan = (
        TreatmentPlan.objects.filter(client=client, pk=payload.plan).first()
        if payload.plan
        else None
    )
    if payload.plan and plan is None:
        raise HttpError(
            404, _("No treatment plan %(plan)s for this client.") % {"plan": payload.plan}
        )
    consent = consents.record_consent(
        client,
        consents.ConsentRequest(
            scope=payload.scope,
            nature=payload.nature,
            benefits=payload.benefits,
            risks=payload.risks,
            alternatives=payload.alternatives,
            consequences=payload.consequences,
            withdrawal_explained=payload.withdrawal_explained,
            given=payload.given,
            method=payload.method,
            appointment=appointment,
            plan=plan,
            areas=tuple(payload.areas),
            signature=payload.signature,
            signed_name=payload.signed_name,
        ),
        by=request.user,
        request=request,
    )
    return Status(201, _consent_out(consent))


@router.post(
    "/consents/{consent_id}/withdraw",
    response={200: ConsentOut, **ERRORS},
    auth=CLINICAL_RECORD.api(),
)
def withdraw_consent(request: HttpRequest, consent_id: Integer, payload: WithdrawIn) -> Any:
    consent = (
        Consent.objects.for_practice(request.practice)  # type: ignore[attr-defined]
        .select_related("client")
        .filter(pk=consent_id)
        .first()
    )
    if consent is None:
        raise HttpError(404, _("No consent %(consent_id)s.") % {"consent_id": consent_id})
    refuse_unless_may_read(request.user, consent.client)
    return _consent_out(
        consents.withdraw_consent(consent, note=payload.note, by=request.user, request=request)
    )


@router.post(
    "/appointments/{appointment_id}/note",
    response={201: NoteOut, **ERRORS},
    auth=CLINICAL_RECORD.api(),
)
def start_note(request: HttpRequest, appointment_id: Integer, payload: NoteStartIn) -> Any:
    """The appointment's draft note (the existing one if started already)."""
    appointment, _ = appointment_for(request, appointment_id)
    refuse_unless_may_read(request.user, appointment.client)
    note = notes.start_note(
        appointment, by=request.user, request=request, copy_last=payload.copy_last
    )
    return Status(201, _note_out(request, note))


@router.get("/notes/{note_id}", response={200: NoteOut, **ERRORS}, auth=CLINICAL_RECORD.api())
def get_note(request: HttpRequest, note_id: Integer) -> Any:
    note = _note(request, note_id)
    record_view(request, note.client, record=note)
    return _note_out(request, note)


@router.patch("/notes/{note_id}", response={200: NoteOut, **ERRORS}, auth=CLINICAL_RECORD.api())
def edit_note(request: HttpRequest, note_id: Integer, payload: NoteIn) -> Any:
    """Change a draft; 409 once the note is signed (amend it instead)."""
    note = _note(request, note_id)
    changes = payload.dict(exclude_unset=True)
    if "plan" in changes:
        plan_id = changes.pop("plan")
        plan = TreatmentPlan.objects.filter(client=note.client, pk=plan_id).first()
        if plan_id is not None and plan is None:
            raise HttpError(
                404, _("No treatment plan %(plan_id)s for this client.") % {"plan_id": plan_id}
            )
        changes["plan"] = plan
    return _note_out(request, notes.edit_note(note, changes, by=request.user, request=request))


@router.post("/notes/{note_id}/sign", response={200: NoteOut, **ERRORS}, auth=CLINICAL_RECORD.api())
def sign_note(request: HttpRequest, note_id: Integer) -> Any:
    """Sign as the treating therapist; 422 lists every reason it cannot be signed yet."""
    note = _note(request, note_id)
    return _note_out(request, notes.sign_note(note, by=request.user, request=request))


@router.post(
    "/notes/{note_id}/amendments",
    response={201: AmendmentOut, **ERRORS},
    auth=CLINICAL_RECORD.api(),
)
def amend_note(request: HttpRequest, note_id: Integer, payload: AmendmentIn) -> Any:
    note = _note(request, note_id)
    amendment = notes.amend_note(
        note, text=payload.text, reason=payload.reason, by=request.user, request=request
    )
    return Status(
        201,
        {
            "id": amendment.pk,
            "text": amendment.text,
            "reason": amendment.reason,
            "created_at": amendment.created_at,
        },
    )


@router.get(
    "/clients/{client_id}/outcomes",
    response={200: list[OutcomeOut], **ERRORS},
    auth=CLINICAL_RESULTS.api(),
)
def outcomes(request: HttpRequest, client_id: Integer) -> Any:
    """Every outcome measure recorded for the client, oldest first."""
    client = _record_of(request, client_id)
    record_view(request, client, record_type="records.outcomescore")
    return [_outcome_out(score) for score in OutcomeScore.objects.filter(client=client)]


@router.post(
    "/clients/{client_id}/outcomes",
    response={201: OutcomeOut, **ERRORS},
    auth=CLINICAL_RECORD.api(),
)
def record_outcome(request: HttpRequest, client_id: Integer, payload: OutcomeIn) -> Any:
    client = _record_of(request, client_id)
    appointment = appointment_for(request, payload.appointment)[0] if payload.appointment else None
    score = assessment.record_outcome(
        client,
        measure=payload.measure,
        answers=payload.answers,
        activities=payload.activities,
        appointment=appointment,
        by=request.user,
        request=request,
    )
    return Status(201, _outcome_out(score))


def _outcome_out(score: OutcomeScore) -> dict[str, Any]:
    return {
        "id": score.pk,
        "measure": score.measure,
        "value": score.value,
        "complete": score.complete,
        "band": score.band,
        "note": score.note,
        "recorded_at": score.recorded_at,
    }
