"""The record's staff screens: the client's chart, the health-history form (with the client),
consent with an in-browser signature, and the treatment-note editor with its body chart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.access import CLIENT_DIRECTORY, CLINICAL_RECORD, PRACTICE_SETUP, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_access, record_search, record_view
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.documents import document_language, pdf_response
from fascia.practices.models import Therapist
from fascia.privacy.lockbox import LockedByClient, alerts_for, locked_for
from fascia.privacy.models import LockedPart
from fascia.records import (
    assessment,
    consents,
    errors,
    history,
    outcomes,
    plans,
    progress,
    queries,
    rom,
)
from fascia.records.care import refuse_unless_may_read
from fascia.records.completeness import missing_records, visit_records
from fascia.records.forms import ChartBlanks, ConsentForm, HealthHistoryForm, TreatmentPlanForm
from fascia.records.models import (
    Consent,
    ConsentScope,
    HealthHistory,
    HistorySource,
    OutcomeScore,
    SelfCarePlan,
    TreatmentNote,
    TreatmentPlan,
)
from fascia.records.questionnaires import (
    answers_from,
    ask_for_questionnaire,
    open_questionnaires,
    questionnaire_form,
)
from fascia.records.remembered_chart import drawn, open_chart
from fascia.records.selfcare import self_care_pdf
from fascia.records.whole_record import whole_record_response
from fascia.scheduling.models import Appointment
from fascia.validation import optional_id

CHART_ROWS = 20


def _client(request: PracticeRequest, client_id: int) -> Client:
    """The client whose record the page shows: a therapist only of clients in their care."""
    return _permitted_client(request, client_id)[0]


def _permitted_client(request: PracticeRequest, client_id: int) -> tuple[Client, bool]:
    """`_client`, and whether the permission stands until the client's record changes."""
    client = get_object_or_404(Client.objects.for_practice(request.practice), pk=client_id)
    client.practice = request.practice  # already read
    return client, refuse_unless_may_read(request.user, client)


def _assess(request: PracticeRequest, client: Client) -> str:
    """Record a range-of-motion measurement or a treatment plan from the chart's forms."""
    if request.POST.get("action") == "plan":
        form = TreatmentPlanForm(request.POST)
        if not form.is_valid():
            raise errors.RecordError(
                _("The plan is not complete: %(problems)s")
                % {
                    "problems": "; ".join(
                        f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items()
                    )
                }
            )
        therapist = (
            Therapist.objects.for_practice(request.practice).filter(user=request.user).first()
        )
        if therapist is None:
            raise errors.RecordError(_("Only a therapist writes treatment plans."))
        current = TreatmentPlan.objects.filter(client=client, replaced_by=None).first()
        plans.create_treatment_plan(
            client,
            therapist=therapist,
            replaces=current,
            by=request.user,
            request=request,
            **form.cleaned_data,
        )
        return _("Treatment plan saved. Record the client's consent to it.")
    joint, _colon, movement = request.POST.get("movement", "").partition(":")
    try:
        degrees = Decimal(request.POST.get("degrees", ""))
    except InvalidOperation as error:
        raise errors.RecordError(_("Give the range of motion in degrees.")) from error
    assessment.record_range_of_motion(
        client,
        joint=joint,
        movement=movement,
        side=request.POST.get("side", ""),
        degrees=degrees,
        active=request.POST.get("passive") != "on",
        by=request.user,
        request=request,
    )
    percent = rom.percent_of_normal(joint, movement, degrees)
    return f"{joint} {movement}: {degrees}° ({percent}% of normal)"


@access(CLINICAL_RECORD)
def chart(request: PracticeRequest, client_id: int) -> HttpResponse:
    if request.method == "POST":
        client = _client(request, client_id)
        try:
            messages.success(request, _assess(request, client))
        except errors.RecordError as refused:
            messages.error(request, " ".join([refused.message, *refused.reasons]))
        return redirect("records:chart", client_id=client.pk)
    client, record = open_chart(
        request,
        client_id,
        may_read=lambda: _permitted_client(request, client_id),
        draw=lambda client, today: _draw_chart_record(request, client, today),
    )
    record_view(request, client, record_type="records.chart")
    return render(request, "records/chart.html", {"client": client, "chart_record": record})


def _draw_chart_record(request: PracticeRequest, client: Client, today: date) -> tuple[str, bool]:
    """The chart's record part, and whether it may be remembered (nothing in the lockbox)."""
    alerts, locked = alerts_for(request.user, client, today)
    # The newest of each kind; a ten-year chart has hundreds of visits.
    visits = list(
        Appointment.objects.filter(client=client)
        .select_related("service", "therapist")
        .order_by("-starts_at")[:CHART_ROWS]
    )
    noted = set(
        TreatmentNote.objects.filter(appointment__in=visits).values_list(
            "appointment_id", flat=True
        )
    )
    status = {record.appointment.pk: record for record in visit_records(visits)}
    context = {
        "client": client,
        "alerts": alerts,
        "locked": locked,
        "histories": HealthHistory.objects.filter(client=client).order_by("-version")[:CHART_ROWS],
        "consents": Consent.objects.filter(client=client)
        .select_related("plan")
        .order_by("-recorded_at")[:CHART_ROWS],
        "plans": TreatmentPlan.objects.filter(client=client).order_by("-created_at")[:5],
        "consented_plans": set(
            Consent.objects.filter(
                client=client,
                scope=ConsentScope.TREATMENT,
                plan__isnull=False,
                given=True,
                withdrawn_at=None,
            ).values_list("plan_id", flat=True)
        ),
        "visits": [(visit, visit.pk in noted, status[visit.pk]) for visit in visits],
        "locked_visits": set(
            TreatmentNote.objects.filter(pk__in=locked.notes).values_list(
                "appointment_id", flat=True
            )
        ),
        "outcomes": OutcomeScore.objects.filter(client=client).order_by("-recorded_at")[
            :CHART_ROWS
        ],
        "charts": [
            (progress.change_of(series), progress.svg_chart(series))
            for series in progress.client_series(client)
        ],
        "measures": outcomes.MEASURES.values(),
        "questionnaires_open": open_questionnaires(client),
        "blank": ChartBlanks(),
    }
    record = drawn("records/_chart_record.html", context, request)
    return record, not locked.directives  # what is locked depends on the reader and the clock


@access(CLIENT_DIRECTORY)
def health_history(request: PracticeRequest, client_id: int) -> HttpResponse:
    """Staff fill in the health history with the client (who may prefer to answer aloud)."""
    client = _client(request, client_id)
    if locked_for(request.user, client).locked_questions():
        # Filling it in would show (and then drop) answers the client locked from this reader.
        raise LockedByClient(client, str(LockedPart.HEALTH_HISTORY.label))
    current = queries.current_history(client)
    form = HealthHistoryForm(
        request.POST or None, initial_answers=current.answers if current else None
    )
    error_reasons: list[str] = []
    if request.method == "POST" and form.is_valid():
        answers, skipped = form.answers_and_skips()
        visit = Appointment.objects.filter(
            client=client, pk=optional_id(request.GET, "appointment") or 0
        ).first()
        try:
            if visit is not None:  # "any changes since last visit?" — yes: a new version
                saved = history.review_history(
                    visit, changes=answers, skipped=skipped, by=request.user, request=request
                ).history
            else:
                saved = history.submit_health_history(
                    client,
                    answers=answers,
                    skipped=skipped,
                    source=HistorySource.STAFF,
                    by=request.user,
                    request=request,
                )
        except errors.RecordError as refused:
            error_reasons = refused.reasons or [refused.message]
        else:
            messages.success(
                request,
                _("Health history saved (version %(version)s).") % {"version": saved.version},
            )
            if visit is not None:
                return redirect("records:note", appointment_id=visit.pk)
            return redirect("records:chart", client_id=client.pk)
    # The form shows the current answers (health information), so showing it is a view.
    record_view(
        request,
        client,
        record=current,
        record_type="records.healthhistory",
        detail=gettext_noop("health history form"),
    )
    return render(
        request,
        "records/health_history.html",
        {"client": client, "form": form, "current": current, "error_reasons": error_reasons},
    )


@access(CLINICAL_RECORD)
def consent(request: PracticeRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    appointment = Appointment.objects.filter(
        client=client, pk=optional_id(request.GET, "appointment") or 0
    ).first()
    plan = TreatmentPlan.objects.filter(
        client=client, pk=optional_id(request.GET, "plan") or 0
    ).first()
    form = ConsentForm(
        request.POST or None,
        initial={
            "scope": request.GET.get("scope", "treatment"),
            "method": "verbal",
            **consents.consent_starting_text(plan, appointment),
        },
    )
    reasons: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consents.record_consent(
                client,
                consents.ConsentRequest(
                    scope=data["scope"],
                    nature=data["nature"],
                    benefits=data["benefits"],
                    risks=data["risks"],
                    alternatives=data["alternatives"],
                    consequences=data["consequences"],
                    withdrawal_explained=data["withdrawal_explained"],
                    given=data["given"] == "yes",
                    method=data["method"],
                    appointment=appointment,
                    plan=plan,
                    areas=tuple(data["areas"]),
                    signature=data["signature"],
                    signed_name=data["signed_name"],
                    signed_by_typing=data["signed_by_typing"],
                ),
                by=request.user,
                request=request,
            )
        except errors.RecordError as refused:
            reasons = refused.reasons or [refused.message]
        else:
            messages.success(request, _("Consent recorded."))
            if appointment is not None:
                return redirect("records:note", appointment_id=appointment.pk)
            return redirect("records:chart", client_id=client.pk)
    # The form shows the treatment plan (or visit) being consented to.
    record_view(
        request,
        client,
        record=plan,
        record_type="records.consent",
        detail=gettext_noop("consent form"),
    )
    return render(
        request,
        "records/consent.html",
        {
            "client": client,
            "form": form,
            "appointment": appointment,
            "plan": plan,
            "reasons": reasons,
            "told_fields": ("nature", "benefits", "risks", "alternatives", "consequences"),
            "decision_fields": (form["given"], form["method"]),
        },
    )


@access(CLINICAL_RECORD)
def outcome_measure(request: PracticeRequest, client_id: int, measure: str) -> HttpResponse:
    """A standard outcome questionnaire, item by item, scored by its published rules. From a
    visit's note (`?appointment=`) the score belongs to that visit."""
    client = _client(request, client_id)
    found = outcomes.MEASURES.get(measure)
    if found is None:
        raise Http404(f"No outcome measure {measure!r}.")
    appointment = Appointment.objects.filter(
        client=client, pk=optional_id(request.GET, "appointment") or 0
    ).first()
    if request.method == "POST":
        answers, activities = answers_from(request.POST, found)
        try:
            saved = assessment.record_outcome(
                client,
                measure=found.code,
                answers=answers,
                activities=activities,
                appointment=appointment,
                by=request.user,
                request=request,
            )
        except errors.RecordError as refused:
            messages.error(request, refused.message)
        else:
            value = _("incomplete") if saved.value is None else f"{saved.value}{found.unit}"
            text = f"{found.name}: {value}"
            band = _(saved.band) if saved.band else ""
            messages.success(request, " · ".join(p for p in (text, band, saved.note) if p))
            if appointment is not None:
                return redirect("records:note", appointment_id=appointment.pk)
            return redirect("records:chart", client_id=client.pk)
    return render(
        request,
        "records/outcome_measure.html",
        {
            "client": client,
            "appointment": appointment,
            **questionnaire_form(request.POST, found),
        },
    )


@access(CLINICAL_RECORD)
def ask_questionnaire(request: PracticeRequest, client_id: int) -> HttpResponse:
    """Ask the client to fill in an outcome questionnaire from their account (POST)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    client = _client(request, client_id)
    try:
        asked = ask_for_questionnaire(
            client, measure=request.POST.get("measure", ""), by=request.user, request=request
        )
    except errors.RecordError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("%(client)s is asked to fill in the %(measure)s online.")
            % {"client": client, "measure": outcomes.MEASURES[asked.measure].name},
        )
    return redirect("records:chart", client_id=client.pk)


@access(PRACTICE_SETUP)
def missing(request: PracticeRequest) -> HttpResponse:
    """The owner's list: completed visits of the last 90 days whose record is incomplete."""
    record_search(
        request,
        request.practice,
        record_type="records.completeness",
        detail=gettext_noop("incomplete records, 90 days"),
    )
    return render(request, "records/missing.html", {"records": missing_records(request.practice)})


@access(CLINICAL_RECORD)
def self_care_pdf_view(request: PracticeRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(
        SelfCarePlan.objects.for_practice(request.practice).select_related("client", "therapist"),
        pk=plan_id,
    )
    refuse_unless_may_read(request.user, plan.client)
    record_access(
        practice=plan.practice,
        actor=request.user,
        action=AuditAction.PRINT,
        record=plan,
        client=plan.client,
        request=request,
    )
    return pdf_response(
        self_care_pdf(plan, document_language(plan.client, request)),
        f"home-care-{plan.created_at:%Y-%m-%d}.pdf",
    )


@access(CLINICAL_RECORD)
def progress_report(request: PracticeRequest, client_id: int) -> HttpResponse:
    """The one-page progress report, for a physician or insurer, with the client's consent."""
    client = _client(request, client_id)
    if request.method != "POST":
        return redirect("records:chart", client_id=client.pk)
    try:
        pdf = progress.progress_report_pdf(
            client,
            recipient=request.POST.get("recipient", ""),
            purpose=request.POST.get("purpose", ""),
            client_consented=request.POST.get("client_consented") == "on",
            consent_method=request.POST.get("consent_method", ""),
            by=request.user,
            request=request,
        )
    except errors.RecordError as refused:
        messages.error(request, refused.message)
        return redirect("records:chart", client_id=client.pk)
    return pdf_response(pdf, f"progress-report-{client.legal_last_name.lower()}.pdf")


@access(CLINICAL_RECORD)
def whole_record(request: PracticeRequest, client_id: int, as_format: str) -> HttpResponse:
    """The client's whole record, for answering their request for a copy (or a transfer)."""
    return whole_record_response(_client(request, client_id), as_format, request)
