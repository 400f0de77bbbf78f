"""Every write to the clinical record, as one named action each: histories, reviews, intake
links, consents, notes (start, edit, sign, amend), outcome scores and range of motion. Each
validates, writes in one transaction and records the access in the audit log."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fascia.accounts.practice_context import acting_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.modalities import Modality
from fascia.records import body, intake, outcomes, rom
from fascia.records.models import (
    Assessment,
    Consent,
    ConsentMethod,
    ConsentScope,
    HealthHistory,
    HistoryReview,
    HistorySource,
    IntakeLink,
    NoteAmendment,
    NoteTemplate,
    OutcomeScore,
    Pressure,
    RangeOfMotion,
    TestResult,
    TreatmentNote,
    TreatmentPlan,
)
from fascia.records.screening import Alert, screen
from fascia.scheduling.models import Appointment, AppointmentStatus

INTAKE_LINK_LIFETIME = timedelta(days=14)


class RecordError(Exception):
    """A write to the record that cannot be made; `message` (and `reasons`) say why."""

    status = 422

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = reasons or []


class NoteLocked(RecordError):
    """The note is signed: it can only be amended."""

    status = 409


def _audit(
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


# --- Health history ------------------------------------------------------------------------


def current_history(client: Client) -> HealthHistory | None:
    return HealthHistory.objects.filter(client=client).order_by("-version").first()


def submit_health_history(
    client: Client,
    *,
    answers: dict[str, Any],
    skipped: dict[str, str] | None = None,
    source: str,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> HealthHistory:
    """Record a new version of the client's health history (earlier ones stay readable)."""
    try:
        clean, reasons = intake.clean_answers(answers, skipped)
    except intake.IntakeError as error:
        raise RecordError(
            "Some answers need another look.",
            [
                f"{intake.BY_ID[k].text if k in intake.BY_ID else k}: {v}"
                for k, v in error.errors.items()
            ],
        ) from error
    if source not in HistorySource.values:
        raise RecordError(f"Unknown source {source!r}.")
    with transaction.atomic():
        # Lock the client so two submissions do not claim the same version number.
        Client.objects.select_for_update().filter(pk=client.pk).first()
        latest = HealthHistory.objects.filter(client=client).aggregate(v=Max("version"))["v"]
        history = HealthHistory.objects.create(
            practice=client.practice,
            client=client,
            version=(latest or 0) + 1,
            answers=clean,
            skipped=reasons,
            source=source,
            recorded_by=acting_user(by),
            created_at=now or timezone.now(),
        )
        _audit(AuditAction.CREATE, history, client, by, request, f"version {history.version}")
    return history


def client_alerts(client: Client, today: date | None = None) -> list[Alert]:
    """The screening result for the client's current health history."""
    history = current_history(client)
    if history is None:
        return []
    return screen(history.answers, today or timezone.localdate(timezone=client.practice.zone))


def review_history(
    appointment: Appointment,
    *,
    changes: dict[str, Any] | None = None,
    skipped: dict[str, str] | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> HistoryReview:
    """ "Any changes since last visit?": with no changes, confirm the current version; with
    changes, they are merged into a new version."""
    client = appointment.client
    now = now or timezone.now()
    with transaction.atomic():
        history = current_history(client)
        if history is None and not changes:
            raise RecordError("There is no health history yet: take one first.")
        if changes:
            merged = dict(history.answers if history else {})
            merged.update(changes)
            reasons = dict(history.skipped if history else {})
            for key in changes:
                reasons.pop(key, None)
            reasons.update(skipped or {})
            history = submit_health_history(
                client,
                answers=merged,
                skipped=reasons,
                source=HistorySource.VISIT_UPDATE,
                by=by,
                request=request,
                now=now,
            )
        assert history is not None
        review = HistoryReview.objects.create(
            practice=client.practice,
            client=client,
            appointment=appointment,
            history=history,
            changed=bool(changes),
            reviewed_by=acting_user(by),
            reviewed_at=now,
        )
        _audit(AuditAction.CREATE, review, client, by, request)
    return review


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_intake_link(client: Client, *, by: Any = None, now: datetime | None = None) -> str:
    """A single-use token for the client's health-history form (only its digest is kept)."""
    token = secrets.token_urlsafe(32)
    IntakeLink.objects.create(
        practice=client.practice,
        client=client,
        digest=_digest(token),
        expires_at=(now or timezone.now()) + INTAKE_LINK_LIFETIME,
    )
    return token


def intake_link(token: str, now: datetime | None = None) -> IntakeLink | None:
    """The open link for a token, or None (unknown, used or expired)."""
    return (
        IntakeLink.objects.select_related("client__practice")
        .filter(digest=_digest(token), used_at=None, expires_at__gt=now or timezone.now())
        .first()
    )


def submit_through_link(
    token: str,
    *,
    answers: dict[str, Any],
    skipped: dict[str, str] | None = None,
    request: Any = None,
    now: datetime | None = None,
) -> HealthHistory:
    now = now or timezone.now()
    with transaction.atomic():
        link = intake_link(token, now)
        if link is None:
            raise RecordError(
                "This link has been used or has expired; ask the clinic for a new one."
            )
        used = IntakeLink.objects.filter(pk=link.pk, used_at=None).update(used_at=now)
        if not used:
            raise RecordError("This link has already been used.")
        return submit_health_history(
            link.client,
            answers=answers,
            skipped=skipped,
            source=HistorySource.LINK,
            request=request,
            now=now,
        )


# --- Consent and treatment plans -----------------------------------------------------------


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
        _audit(
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
        _audit(AuditAction.CHANGE, consent, consent.client, by, request, "withdrawn")
    return consent


def create_treatment_plan(
    client: Client,
    *,
    therapist: Any,
    goals: str,
    areas: list[str],
    techniques: list[str],
    pressure: str,
    frequency: str,
    visits_planned: int,
    after_effects: str,
    replaces: TreatmentPlan | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> TreatmentPlan:
    reasons = _check_treatment(areas, techniques, pressure)
    if not goals.strip():
        reasons.append("Write the plan's goals.")
    if not after_effects.strip():
        reasons.append("Record the expected after-effects and risks explained.")
    if not 1 <= visits_planned <= 100:
        reasons.append("Plan between 1 and 100 visits.")
    if (
        replaces is not None
        and not Consent.objects.filter(
            client=client,
            scope=ConsentScope.PLAN_CHANGE,
            given=True,
            withdrawn_at=None,
            recorded_at__gte=replaces.created_at,
        ).exists()
    ):
        reasons.append("Record the client's consent to changing the plan first.")
    if reasons:
        raise RecordError("The treatment plan is not complete.", reasons)
    with transaction.atomic():
        plan = TreatmentPlan.objects.create(
            practice=client.practice,
            client=client,
            therapist=therapist,
            goals=goals.strip(),
            areas=sorted(set(areas)),
            techniques=list(dict.fromkeys(techniques)),
            pressure=pressure,
            frequency=frequency.strip(),
            visits_planned=visits_planned,
            after_effects=after_effects.strip(),
            created_at=now or timezone.now(),
        )
        if replaces is not None:
            TreatmentPlan.objects.filter(pk=replaces.pk, replaced_by=None).update(replaced_by=plan)
        _audit(AuditAction.CREATE, plan, client, by, request)
    return plan


def _check_treatment(areas: list[str], techniques: list[str], pressure: str) -> list[str]:
    reasons = []
    unknown = body.unknown_areas(areas)
    if unknown:
        reasons.append(f"Unknown body areas: {', '.join(unknown)}.")
    unknown_techniques = [t for t in techniques if t not in Modality.values]
    if unknown_techniques:
        reasons.append(f"Unknown techniques: {', '.join(unknown_techniques)}.")
    if pressure and pressure not in Pressure.values:
        reasons.append("Pressure is light, moderate, firm or deep.")
    return reasons


# --- Treatment notes -----------------------------------------------------------------------

NOTE_FIELDS = (
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
    "plan",
)


COPIED_FROM_LAST_VISIT = ("techniques", "areas_treated", "pressure", "plan_text", "self_care")


def start_note(
    appointment: Appointment,
    *,
    by: Any = None,
    request: Any = None,
    copy_last: bool = False,
    now: datetime | None = None,
) -> TreatmentNote:
    """The draft note of an appointment (the existing one if already started). With
    `copy_last`, the client's last signed note's treatment fields are copied in."""
    if appointment.status in (
        AppointmentStatus.CANCELLED,
        AppointmentStatus.LATE_CANCELLED,
        AppointmentStatus.NO_SHOW,
    ):
        raise RecordError(f"A {appointment.get_status_display().lower()} visit has no note.")
    now = now or timezone.now()
    with transaction.atomic():
        existing = TreatmentNote.objects.filter(appointment=appointment).first()
        if existing is not None:
            return existing
        values: dict[str, Any] = {}
        if copy_last:
            last = (
                TreatmentNote.objects.filter(client=appointment.client)
                .exclude(signed_at=None)
                .order_by("-signed_at")
                .first()
            )
            if last is not None:
                values = {
                    name: getattr(last, name)
                    for name in (
                        "techniques",
                        "areas_treated",
                        "pressure",
                        "plan_text",
                        "self_care",
                    )
                }
                values["plan"] = last.plan
        note = TreatmentNote.objects.create(
            practice=appointment.practice,
            appointment=appointment,
            client=appointment.client,
            therapist=appointment.therapist,
            created_at=now,
            updated_at=now,
            **values,
        )
        _audit(AuditAction.CREATE, note, appointment.client, by, request)
    return note


def copy_last_visit(note: TreatmentNote, *, by: Any = None, request: Any = None) -> TreatmentNote:
    """Fill a draft with the techniques, areas, pressure, plan and self-care of the client's
    last signed note (charting a regular client starts from there)."""
    last = (
        TreatmentNote.objects.filter(client=note.client)
        .exclude(signed_at=None)
        .exclude(pk=note.pk)
        .order_by("-signed_at")
        .first()
    )
    if last is None:
        raise RecordError("There is no earlier signed note to copy.")
    changes: dict[str, Any] = {name: getattr(last, name) for name in COPIED_FROM_LAST_VISIT}
    changes["plan"] = last.plan
    return edit_note(note, changes, by=by, request=request)


def apply_template(
    note: TreatmentNote, template: NoteTemplate, *, by: Any = None, request: Any = None
) -> TreatmentNote:
    """Fill the draft's empty fields from a template (nothing already written is replaced)."""
    if template.practice_id != note.practice_id:
        raise RecordError("That template belongs to another practice.")
    changes: dict[str, Any] = {}
    for name in ("subjective", "objective", "assessment", "plan_text"):
        if not getattr(note, name).strip() and getattr(template, name).strip():
            changes[name] = getattr(template, name)
    for name in ("techniques", "areas_treated"):
        if not getattr(note, name) and getattr(template, name):
            changes[name] = list(getattr(template, name))
    return edit_note(note, changes, by=by, request=request) if changes else note


def _check_body_chart(marks: Any) -> list[str]:
    if not isinstance(marks, list):
        return ["The body chart is a list of marks."]
    reasons = []
    for number, mark in enumerate(marks, start=1):
        if not isinstance(mark, dict):
            reasons.append(f"Body chart mark {number} is not a mark.")
            continue
        if mark.get("area") not in body.AREAS:
            reasons.append(f"Body chart mark {number}: unknown area {mark.get('area')!r}.")
        if mark.get("kind") not in body.MARK_KINDS:
            reasons.append(f"Body chart mark {number}: unknown kind {mark.get('kind')!r}.")
        if mark.get("view") not in ("front", "back"):
            reasons.append(f"Body chart mark {number}: view is front or back.")
    return reasons


def edit_note(
    note: TreatmentNote,
    changes: dict[str, Any],
    *,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> TreatmentNote:
    """Change a draft note; a signed note refuses (NoteLocked), whatever is asked."""
    unknown = sorted(set(changes) - set(NOTE_FIELDS))
    if unknown:
        raise RecordError(f"Not a note field: {', '.join(unknown)}.")
    with transaction.atomic():
        current = TreatmentNote.objects.select_for_update().get(pk=note.pk)
        if current.is_signed:
            raise NoteLocked("This note is signed; add an amendment instead.")
        for name, value in changes.items():
            setattr(current, name, value)
        reasons = _check_treatment(
            list(current.areas_treated), list(current.techniques), current.pressure
        ) + _check_body_chart(current.body_chart)
        if current.plan is not None and current.plan.client_id != current.client_id:
            reasons.append("That treatment plan is another client's.")
        if reasons:
            raise RecordError("The note cannot be saved.", reasons)
        current.updated_at = now or timezone.now()
        current.save()
        _audit(AuditAction.CHANGE, current, current.client, by, request)
    return current


def signing_problems(note: TreatmentNote, today: date | None = None) -> list[str]:
    """Why the note cannot be signed yet (empty when it can)."""
    problems = []
    if not (note.subjective.strip() or note.objective.strip()):
        problems.append("Write the subjective or objective findings.")
    if not note.areas_treated:
        problems.append("Record the areas treated.")
    alerts = client_alerts(note.client, today)
    unacknowledged = [a for a in alerts if a.rule not in (note.acknowledged_alerts or [])]
    problems += [f"Acknowledge the alert: {alert.message}" for alert in unacknowledged]
    consents = list(Consent.objects.filter(client=note.client))

    def in_force(**conditions: Any) -> list[Consent]:
        return [
            consent
            for consent in consents
            if consent.in_force
            and all(getattr(consent, key) == value for key, value in conditions.items())
        ]

    treatment = [
        c
        for c in in_force(scope=ConsentScope.TREATMENT)
        if c.appointment_id == note.appointment_id or (note.plan_id and c.plan_id == note.plan_id)
    ]
    if not treatment:
        problems.append("No consent to treatment is on file for this visit or its plan.")
    session = [
        c
        for c in in_force(scope=ConsentScope.SENSITIVE_AREA)
        if c.appointment_id == note.appointment_id
    ]
    for area in body.sensitive_areas(list(note.areas_treated)):
        covering = [c for c in session if area.code in c.areas]
        if area.sensitive is body.SensitiveRule.WRITTEN_EVERY_SESSION:
            if not any(c.method == ConsentMethod.WRITTEN for c in covering):
                problems.append(
                    f"{area.label}: written consent for this session is required before "
                    "treating it."
                )
        else:
            per_plan = [
                c
                for c in in_force(scope=ConsentScope.SENSITIVE_AREA, method=ConsentMethod.WRITTEN)
                if area.code in c.areas and note.plan_id and c.plan_id == note.plan_id
            ]
            if not per_plan:
                problems.append(
                    f"{area.label}: written consent for the treatment plan is required."
                )
            if not covering:
                problems.append(f"{area.label}: record the client's consent for this session.")
    return problems


def sign_note(
    note: TreatmentNote,
    *,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> TreatmentNote:
    """Sign the note as its therapist; refused with every reason when something is missing.
    After this the note never changes."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            TreatmentNote.objects.select_for_update()
            .select_related("client__practice", "therapist")
            .get(pk=note.pk)
        )
        if current.is_signed:
            raise NoteLocked("This note is already signed.")
        if current.therapist.user_id != getattr(by, "pk", None):
            raise RecordError("Only the treating therapist signs their note.")
        problems = signing_problems(current, timezone.localdate(now, current.client.practice.zone))
        if problems:
            raise RecordError("The note cannot be signed yet.", problems)
        current.signed_at, current.signed_by = now, by
        current.save(update_fields=["signed_at", "signed_by"])
        _audit(AuditAction.CHANGE, current, current.client, by, request, "signed")
    return current


def amend_note(
    note: TreatmentNote,
    *,
    text: str,
    reason: str,
    by: Any,
    request: Any = None,
    now: datetime | None = None,
) -> NoteAmendment:
    if not note.is_signed:
        raise RecordError("A draft note is edited, not amended.")
    if not text.strip() or not reason.strip():
        raise RecordError("An amendment needs the correction and the reason for it.")
    with transaction.atomic():
        amendment = NoteAmendment.objects.create(
            practice=note.practice,
            note=note,
            text=text.strip(),
            reason=reason.strip(),
            author=acting_user(by),
            created_at=now or timezone.now(),
        )
        _audit(AuditAction.CHANGE, note, note.client, by, request, f"amended: {reason[:80]}")
    return amendment


def unsigned_overdue(
    therapist: Any, *, hours: int = 24, now: datetime | None = None
) -> list[TreatmentNote]:
    """The therapist's to-do: notes still unsigned `hours` after their visit ended."""
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    return list(
        TreatmentNote.objects.filter(
            therapist=therapist, signed_at=None, appointment__ends_at__lt=cutoff
        ).select_related("client", "appointment")
    )


# --- Assessment, outcomes and range of motion ----------------------------------------------

SIDES = ("", "left", "right", "bilateral")


def consent_on_file(appointment: Appointment, scopes: tuple[str, ...]) -> bool:
    """An in-force consent of one of `scopes` for this visit."""
    return Consent.objects.filter(
        client=appointment.client,
        appointment=appointment,
        scope__in=scopes,
        given=True,
        withdrawn_at=None,
    ).exists()


def record_assessment(
    appointment: Appointment,
    *,
    posture: str = "",
    palpation: str = "",
    special_tests: list[dict[str, str]] | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> Assessment:
    """Record the visit's assessment findings; consent to assessment comes first (CMTO)."""
    if not consent_on_file(appointment, (ConsentScope.ASSESSMENT, ConsentScope.TREATMENT)):
        raise RecordError("Record the client's consent to assessment first.")
    tests = special_tests or []
    reasons = []
    for number, test in enumerate(tests, start=1):
        if not str(test.get("name", "")).strip():
            reasons.append(f"Special test {number}: name the test.")
        if test.get("side", "") not in SIDES:
            reasons.append(f"Special test {number}: side is left, right or bilateral.")
        if test.get("result") not in TestResult.values:
            reasons.append(f"Special test {number}: result is positive, negative or inconclusive.")
    if not (posture.strip() or palpation.strip() or tests):
        reasons.append("Record at least one finding.")
    if reasons:
        raise RecordError("The assessment cannot be saved.", reasons)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            practice=appointment.practice,
            client=appointment.client,
            appointment=appointment,
            posture=posture.strip(),
            palpation=palpation.strip(),
            special_tests=[
                {"name": str(t["name"]).strip(), "side": t.get("side", ""), "result": t["result"]}
                for t in tests
            ],
            recorded_by=acting_user(by),
            recorded_at=now or timezone.now(),
        )
        _audit(AuditAction.CREATE, assessment, appointment.client, by, request)
    return assessment


def record_outcome(
    client: Client,
    *,
    measure: str,
    answers: list[int | None],
    activities: list[str] | None = None,
    appointment: Appointment | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> OutcomeScore:
    try:
        result = outcomes.score(measure, answers)
    except outcomes.OutcomeError as error:
        raise RecordError(str(error)) from error
    with transaction.atomic():
        saved = OutcomeScore.objects.create(
            practice=client.practice,
            client=client,
            appointment=appointment,
            measure=measure,
            answers=answers,
            activities=activities or [],
            value=result.value,
            complete=result.complete,
            band=result.band,
            note=result.note,
            recorded_at=now or timezone.now(),
            recorded_by=acting_user(by),
        )
        _audit(AuditAction.CREATE, saved, client, by, request, f"{measure}: {result.display()}")
    return saved


def record_range_of_motion(
    client: Client,
    *,
    joint: str,
    movement: str,
    degrees: Decimal,
    side: str = "",
    active: bool = True,
    appointment: Appointment | None = None,
    by: Any = None,
    request: Any = None,
    now: datetime | None = None,
) -> RangeOfMotion:
    try:
        rom.check_measurement(joint, movement, side, Decimal(degrees))
    except rom.RangeError as error:
        raise RecordError(str(error)) from error
    with transaction.atomic():
        measured = RangeOfMotion.objects.create(
            practice=client.practice,
            client=client,
            appointment=appointment,
            joint=joint,
            movement=movement,
            side=side,
            degrees=Decimal(degrees),
            active=active,
            recorded_at=now or timezone.now(),
        )
        _audit(AuditAction.CREATE, measured, client, by, request)
    return measured
