"""Treatment notes: started, edited as a draft, signed once, then only amended."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user
from fascia.audit.models import AuditAction
from fascia.privacy.lockbox import locked_for
from fascia.records import body
from fascia.records.auditing import audit_record
from fascia.records.errors import NoteLocked, RecordError
from fascia.records.models import (
    Consent,
    ConsentMethod,
    ConsentScope,
    NoteAmendment,
    NoteTemplate,
    TreatmentNote,
)
from fascia.records.plans import treatment_problems
from fascia.records.queries import client_alerts
from fascia.scheduling.models import DID_NOT_HAPPEN, Appointment

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


def treatment_on_record(appointment: Appointment) -> str | None:
    """Booking's FASCIA_TREATMENT_RECORDED check: a signed note says treatment was given."""
    signed = TreatmentNote.objects.filter(appointment=appointment, signed_at__isnull=False)
    return _("its treatment note is signed.") if signed.exists() else None


def may_have_note(appointment: Appointment) -> bool:
    """A visit that did not happen (cancelled or missed) has no treatment note."""
    return appointment.status not in DID_NOT_HAPPEN


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
    if not may_have_note(appointment):
        raise RecordError(
            _("A %(status)s visit has no note.")
            % {"status": appointment.get_status_display().lower()}
        )
    now = now or timezone.now()
    with transaction.atomic():
        existing = TreatmentNote.objects.filter(appointment=appointment).first()
        if existing is not None:
            return existing
        last = _last_signed_note(appointment.client, reader=by) if copy_last else None
        values = _copied_from(last) if last is not None else {}
        note = TreatmentNote.objects.create(
            practice=appointment.practice,
            appointment=appointment,
            client=appointment.client,
            therapist=appointment.therapist,
            created_at=now,
            updated_at=now,
            **values,
        )
        audit_record(AuditAction.CREATE, note, appointment.client, by, request)
    return note


def _last_signed_note(
    client: Any, *, reader: Any, besides: TreatmentNote | None = None
) -> TreatmentNote | None:
    """The client's last signed note that `reader` may see (not one the client locked)."""
    notes = TreatmentNote.objects.filter(client=client).exclude(signed_at=None)
    if reader is not None:
        notes = notes.exclude(pk__in=locked_for(reader, client).notes)
    if besides is not None:
        notes = notes.exclude(pk=besides.pk)
    return notes.order_by("-signed_at").first()


def _copied_from(last: TreatmentNote) -> dict[str, Any]:
    """What charting a regular client copies from their last note: the treatment, not the
    findings."""
    return {**{name: getattr(last, name) for name in COPIED_FROM_LAST_VISIT}, "plan": last.plan}


def copy_last_visit(note: TreatmentNote, *, by: Any = None, request: Any = None) -> TreatmentNote:
    """Fill a draft with the techniques, areas, pressure, plan and self-care of the client's
    last signed note (charting a regular client starts from there)."""
    last = _last_signed_note(note.client, reader=by, besides=note)
    if last is None:
        raise RecordError(_("There is no earlier signed note to copy."))
    return edit_note(note, _copied_from(last), by=by, request=request)


def apply_template(
    note: TreatmentNote, template: NoteTemplate, *, by: Any = None, request: Any = None
) -> TreatmentNote:
    """Fill the draft's empty fields from a template (nothing already written is replaced)."""
    if template.practice_id != note.practice_id:
        raise RecordError(_("That template belongs to another practice."))
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
        return [_("The body chart is a list of marks.")]
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
            raise NoteLocked(_("This note is signed; add an amendment instead."))
        for name, value in changes.items():
            setattr(current, name, value)
        reasons = treatment_problems(
            list(current.areas_treated), list(current.techniques), current.pressure
        ) + _check_body_chart(current.body_chart)
        if current.plan is not None and current.plan.client_id != current.client_id:
            reasons.append(_("That treatment plan is another client's."))
        if reasons:
            raise RecordError(_("The note cannot be saved."), reasons)
        current.updated_at = now or timezone.now()
        current.save()
        audit_record(AuditAction.CHANGE, current, current.client, by, request)
    return current


def signing_problems(note: TreatmentNote, today: date | None = None) -> list[str]:
    """Why the note cannot be signed yet (empty when it can)."""
    problems = []
    if not (note.subjective.strip() or note.objective.strip()):
        problems.append(_("Write the subjective or objective findings."))
    if not note.areas_treated:
        problems.append(_("Record the areas treated."))
    hidden = locked_for(note.therapist.user, note.client).locked_questions()
    alerts = client_alerts(note.client, today, hidden=hidden)
    unacknowledged = [a for a in alerts if a.rule not in (note.acknowledged_alerts or [])]
    problems += [
        _("Acknowledge the alert: %(alert)s") % {"alert": alert.message} for alert in unacknowledged
    ]
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
        problems.append(_("No consent to treatment is on file for this visit or its plan."))
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
            raise NoteLocked(_("This note is already signed."))
        if current.therapist.user_id != getattr(by, "pk", None):
            raise RecordError(_("Only the treating therapist signs their note."))
        visit = current.appointment
        if not may_have_note(visit):
            raise RecordError(
                _("A %(status)s visit has no treatment to sign for.")
                % {"status": visit.get_status_display().lower()}
            )
        if not visit.has_started(now):
            raise RecordError(
                _("The visit has not started yet: sign its note once the treatment is given.")
            )
        problems = signing_problems(current, timezone.localdate(now, current.client.practice.zone))
        if problems:
            raise RecordError(_("The note cannot be signed yet."), problems)
        current.signed_at, current.signed_by = now, by
        current.save(update_fields=["signed_at", "signed_by"])
        audit_record(AuditAction.CHANGE, current, current.client, by, request, "signed")
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
        raise RecordError(_("A draft note is edited, not amended."))
    if not text.strip() or not reason.strip():
        raise RecordError(_("An amendment needs the correction and the reason for it."))
    with transaction.atomic():
        amendment = NoteAmendment.objects.create(
            practice=note.practice,
            note=note,
            text=text.strip(),
            reason=reason.strip(),
            author=acting_user(by),
            created_at=now or timezone.now(),
        )
        audit_record(AuditAction.CHANGE, note, note.client, by, request, f"amended: {reason[:80]}")
    return amendment
