"""The treatment-note screen of a visit, and one view per thing done on it.

Reading the page changes nothing: the note is started by an explicit "Start note" (blank, from
a template, or copied from the last visit), and every change is a POST of its own, with CSRF,
to its own URL. A refused change shows the page again with the reasons beside the form."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fascia.accounts.access import CLINICAL_RECORD, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_view
from fascia.privacy.lockbox import alerts_for, refuse_if_note_locked
from fascia.records import assessment, body, history, notes, outcomes, queries
from fascia.records.care import refuse_unless_may_read
from fascia.records.errors import RecordError
from fascia.records.forms import NoteForm
from fascia.records.models import (
    Assessment,
    Consent,
    HistoryReview,
    NoteTemplate,
    OutcomeScore,
    SelfCareExercise,
    SelfCarePlan,
    TestResult,
    TreatmentNote,
    TreatmentPlan,
)
from fascia.records.screening import Alert
from fascia.records.selfcare import give_self_care_plan
from fascia.scheduling.attendance import end_treatment_early
from fascia.scheduling.errors import BookingError
from fascia.scheduling.models import Appointment
from fascia.validation import optional_id

SOAP_FIELDS = ("subjective", "objective", "assessment", "plan_text")
SPECIAL_TEST_ROWS = 3


def _appointment(request: PracticeRequest, appointment_id: int) -> Appointment:
    """The visit whose note the page shows: a therapist only of clients in their care."""
    appointment = get_object_or_404(
        Appointment.objects.for_practice(request.practice).select_related(
            "client", "service", "therapist"
        ),
        pk=appointment_id,
    )
    appointment.practice = appointment.client.practice = request.practice  # already read
    refuse_unless_may_read(request.user, appointment.client)
    note = _note_of(appointment)
    if note is not None:
        note.client = appointment.client  # already read
        refuse_if_note_locked(request.user, note)
    return appointment


def _note_of(appointment: Appointment) -> TreatmentNote | None:
    return TreatmentNote.objects.filter(appointment=appointment).first()


def _back(appointment: Appointment) -> HttpResponse:
    return redirect("records:note", appointment_id=appointment.pk)


def _note_form(
    user: Any,
    appointment: Appointment,
    note: TreatmentNote | None,
    data: Any = None,
    *,
    alerts: list[Alert] | None = None,
) -> NoteForm:
    """The note's form; `alerts` are the client's as `user` may see them (read here if not
    given)."""
    if alerts is None:
        alerts = alerts_for(user, appointment.client)[0]
    initial: dict[str, Any] = {}
    if note is not None:
        initial = {name: getattr(note, name) for name in notes.NOTE_FIELDS}
        initial["body_chart"] = json.dumps(note.body_chart)
        initial["plan"] = note.plan_id
    return NoteForm(
        data,
        initial=initial,
        alert_choices=[(alert.rule, alert.message) for alert in alerts],
        plans=TreatmentPlan.objects.filter(client=appointment.client, replaced_by=None),
    )


def _note_page(
    request: PracticeRequest,
    appointment: Appointment,
    *,
    form: NoteForm | None = None,
    reasons: list[str] | None = None,
) -> HttpResponse:
    note = _note_of(appointment)
    client = appointment.client
    alerts, locked = alerts_for(request.user, client)
    # The page shows the note, the client's alerts, consents and health history.
    record_view(
        request,
        client,
        record=note or appointment,
        detail=f"treatment note page, visit {appointment.pk}",
    )
    return render(
        request,
        "records/note.html",
        {
            "appointment": appointment,
            "note": note,
            "may_start": note is None and notes.may_have_note(appointment),
            "may_end_early": appointment.has_started(timezone.now())
            and not appointment.ended_early_reason,
            "form": form or _note_form(request.user, appointment, note, alerts=alerts),
            "alerts": alerts,
            "locked": locked,
            "reasons": reasons or [],
            "consents": Consent.objects.filter(client=client, appointment=appointment),
            # Consent given to the treatment plan covers each visit of it.
            "plan_consents": Consent.objects.filter(
                client=client,
                plan__isnull=False,
                plan__replaced_by=None,
                given=True,
                withdrawn_at=None,
            ).select_related("plan"),
            "measures": outcomes.MEASURES.values(),
            "visit_scores": OutcomeScore.objects.filter(appointment=appointment),
            "soap_fields": SOAP_FIELDS,
            "library": SelfCareExercise.objects.for_practice(request.practice).filter(
                is_active=True
            ),
            "self_care_plans": SelfCarePlan.objects.filter(appointment=appointment),
            "assessments": Assessment.objects.filter(appointment=appointment),
            "templates": NoteTemplate.objects.for_practice(request.practice),
            "history": queries.current_history(client),
            "reviewed": HistoryReview.objects.filter(appointment=appointment).first(),
            "test_rows": range(SPECIAL_TEST_ROWS),
            "test_results": TestResult.choices,
            "mark_kinds": list(body.MARK_KIND_LABELS.items()),
            "views": [(view, body.regions_svg(view)) for view in ("front", "back")],
            "area_labels": json.dumps({code: a.label for code, a in body.AREAS.items()}),
            "sensitive_codes": json.dumps(
                [a.code for a in body.AREAS.values() if a.sensitive is not body.SensitiveRule.NONE]
            ),
        },
    )


@access(CLINICAL_RECORD)
@require_GET
def note(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    """The visit's note as it stands (or the way to start it); reading changes nothing."""
    return _note_page(request, _appointment(request, appointment_id))


@access(CLINICAL_RECORD)
@require_POST
def start(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    """Start the note: blank, from one of the practice's templates, or copied from the
    client's last signed note."""
    appointment = _appointment(request, appointment_id)
    template = (
        NoteTemplate.objects.for_practice(request.practice)
        .filter(pk=optional_id(request.POST, "template") or 0)
        .first()
    )
    try:
        draft = notes.start_note(appointment, by=request.user, request=request)
        if request.POST.get("copy") == "last":
            notes.copy_last_visit(draft, by=request.user, request=request)
            messages.success(request, _("Copied from the last visit's note; check each field."))
        elif template is not None:
            notes.apply_template(draft, template, by=request.user, request=request)
            messages.success(
                request, _("Started from the template “%(name)s”.") % {"name": template.name}
            )
    except RecordError as refused:
        return _note_page(request, appointment, reasons=refused.reasons or [refused.message])
    return _back(appointment)


def _write_note(request: PracticeRequest, appointment_id: int, *, sign: bool) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    draft = _note_of(appointment)
    form = _note_form(request.user, appointment, draft, request.POST)
    if draft is None:
        return _note_page(request, appointment, form=form, reasons=[_("Start the note first.")])
    if not form.is_valid():
        return _note_page(request, appointment, form=form)
    try:
        draft = notes.edit_note(draft, dict(form.cleaned_data), by=request.user, request=request)
        if sign:
            notes.sign_note(draft, by=request.user, request=request)
            messages.success(request, _("Note signed. It can now only be amended."))
        else:
            messages.success(request, _("Draft saved."))
    except RecordError as refused:
        return _note_page(
            request, appointment, form=form, reasons=refused.reasons or [refused.message]
        )
    return _back(appointment)


@access(CLINICAL_RECORD)
@require_POST
def save(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    return _write_note(request, appointment_id, sign=False)


@access(CLINICAL_RECORD)
@require_POST
def sign(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    """Save what the form holds, then sign it (refused with every reason if not yet)."""
    return _write_note(request, appointment_id, sign=True)


@access(CLINICAL_RECORD)
@require_POST
def review_history(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    """ "Any changes since last visit?" — no."""
    appointment = _appointment(request, appointment_id)
    try:
        history.review_history(appointment, by=request.user, request=request)
    except RecordError as refused:
        return _note_page(request, appointment, reasons=[refused.message])
    messages.success(request, _("Health history reviewed: no changes since last visit."))
    return _back(appointment)


@access(CLINICAL_RECORD)
@require_POST
def record_assessment(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    tests = [
        {
            "name": request.POST.get(f"test_name_{n}", ""),
            "side": request.POST.get(f"test_side_{n}", ""),
            "result": request.POST.get(f"test_result_{n}", ""),
        }
        for n in range(SPECIAL_TEST_ROWS)
        if request.POST.get(f"test_name_{n}", "").strip()
    ]
    try:
        assessment.record_assessment(
            appointment,
            posture=request.POST.get("posture", ""),
            palpation=request.POST.get("palpation", ""),
            special_tests=tests,
            by=request.user,
            request=request,
        )
    except RecordError as refused:
        return _note_page(request, appointment, reasons=refused.reasons or [refused.message])
    messages.success(request, _("Assessment recorded."))
    return _back(appointment)


@access(CLINICAL_RECORD)
@require_POST
def give_self_care(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    chosen = SelfCareExercise.objects.for_practice(request.practice).filter(
        pk__in=[pk for pk in request.POST.getlist("exercise") if pk.isdigit()]
    )
    try:
        give_self_care_plan(
            appointment,
            exercises=[(e, request.POST.get(f"exercise_note_{e.pk}", "")) for e in chosen],
            next_visits=request.POST.get("next_visits", ""),
            advice=request.POST.get("advice", ""),
            by=request.user,
            request=request,
        )
    except RecordError as refused:
        return _note_page(request, appointment, reasons=[refused.message])
    messages.success(request, _("Self-care plan given and sent to the client."))
    return _back(appointment)


@access(CLINICAL_RECORD)
@require_POST
def ended_early(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    """The treatment stopped before its booked end: recorded with the reason."""
    appointment = _appointment(request, appointment_id)
    minutes = request.POST.get("minutes_given", "").strip()
    try:
        end_treatment_early(
            appointment,
            reason=request.POST.get("reason", ""),
            minutes_given=int(minutes) if minutes.isdigit() else None,
            by=request.user,
            request=request,
        )
    except BookingError as refused:
        return _note_page(request, appointment, reasons=[refused.message])
    messages.success(request, _("Recorded: the treatment ended early."))
    return _back(appointment)


@access(CLINICAL_RECORD)
@require_POST
def amend(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    signed = _note_of(appointment)
    if signed is None:
        return _note_page(request, appointment, reasons=[_("There is no note to amend.")])
    try:
        notes.amend_note(
            signed,
            text=request.POST.get("text", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
            request=request,
        )
    except RecordError as refused:
        return _note_page(request, appointment, reasons=[refused.message])
    messages.success(request, _("Amendment added; the original stays visible."))
    return _back(appointment)
