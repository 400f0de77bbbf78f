"""The client's own account between visits: cancelling with the fee shown first, adding an
insurance policy, and year-end statements. Each change goes through the practice's actions
(`cancel_appointment`, `save_insurance_policy`) and the audit log, so the practice sees it."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from fascia.accounts.access import SIGNED_IN, access
from fascia.audit.log import record_access, record_view
from fascia.audit.models import AuditAction
from fascia.billing.actions import late_cancellation_fee
from fascia.billing.errors import BillingError
from fascia.billing.forms import InsurancePolicyForm
from fascia.billing.money import as_money
from fascia.billing.policies import save_insurance_policy
from fascia.billing.statements import statement_for, statement_pdf
from fascia.clients.models import Client
from fascia.documents import pdf_response
from fascia.practices.modalities import modality_labels
from fascia.privacy.lockbox_views import change_lockbox, lockbox_page
from fascia.public.account_views import address_proved
from fascia.public.ownership import own_or_refused
from fascia.records import outcomes
from fascia.records.body import AREAS
from fascia.records.consents import consent_starting_text, sign_plan_consent_online
from fascia.records.errors import RecordError
from fascia.records.models import QuestionnaireRequest, TreatmentPlan
from fascia.records.questionnaires import (
    answer_questionnaire,
    answers_from,
    questionnaire_form,
)
from fascia.records.whole_record import whole_record_response
from fascia.scheduling.attendance import cancel_appointment, cancelling_is_late
from fascia.scheduling.booking import BookingError
from fascia.scheduling.models import Appointment

FIRST_STATEMENT_YEAR, LAST_STATEMENT_YEAR = 2000, 2200


def _now() -> datetime:
    return timezone.now()


def _own_client(request: HttpRequest, client_id: int) -> Client:
    return own_or_refused(
        request, Client.objects.select_related("practice"), client_id, client_path=""
    )


@access(SIGNED_IN)
@address_proved
def cancel_own_appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """A client cancels their own visit: first the page that says whether the late fee
    applies, and how much, then the cancellation itself (POST)."""
    appointment = own_or_refused(
        request,
        Appointment.objects.select_related("practice", "client", "service", "therapist"),
        appointment_id,
    )
    if request.method == "POST":
        try:
            cancel_appointment(
                appointment, by=request.user, reason="Cancelled online", request=request
            )
        except BookingError as refused:
            messages.error(request, refused.message)
        else:
            if appointment.late_cancellation_fee_due:
                messages.warning(
                    request,
                    _(
                        "Your appointment is cancelled. It was inside the cancellation notice "
                        "period, so the late fee of %(fee)s applies."
                    )
                    % {"fee": as_money(late_cancellation_fee(appointment))},
                )
            else:
                messages.success(request, _("Your appointment is cancelled."))
        return redirect("public:my-account")
    late = cancelling_is_late(appointment, _now())
    record_view(
        request,
        appointment.client,
        record=appointment,
        role="client",
        detail=gettext_noop("cancel"),
    )
    return render(
        request,
        "public/cancel_confirm.html",
        {
            "appointment": appointment,
            "late": late,
            "fee": late_cancellation_fee(appointment) if late else None,
        },
    )


@access(SIGNED_IN)
@address_proved
def add_own_policy(request: HttpRequest, client_id: int) -> HttpResponse:
    """A client adds their extended-health policy, so the practice can track coverage left and
    bill the insurer directly where it does."""
    client = _own_client(request, client_id)
    form = InsurancePolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_insurance_policy(
                client,
                by=request.user,
                request=request,
                **{name: form.cleaned_data[name] for name in InsurancePolicyForm.Meta.fields},
            )
        except BillingError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Your policy is saved; %(practice)s can see it.")
                % {"practice": client.practice.public_name},
            )
            return redirect("public:my-account")
    return render(
        request,
        "public/add_policy.html",
        {"client": client, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@access(SIGNED_IN)
@address_proved
def own_statement_pdf(request: HttpRequest, client_id: int, year: int) -> HttpResponse:
    """The client's year-end statement of paid treatments, for their taxes (medical expenses)
    or their insurer."""
    client = _own_client(request, client_id)
    if not FIRST_STATEMENT_YEAR <= year <= LAST_STATEMENT_YEAR:
        raise Http404
    statement = statement_for(client, year)
    record_access(
        practice=client.practice,
        actor=request.user,
        action=AuditAction.EXPORT,
        record=client,
        client=client,
        request=request,
        role="client",
        detail=f"year-end statement {year}",
    )
    return pdf_response(
        statement_pdf(statement, translation.get_language()), f"statement-{year}.pdf"
    )


class PlanConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        choices=(
            ("give", gettext_lazy("I consent to this treatment plan")),
            ("refuse", gettext_lazy("I do not consent")),
        ),
        widget=forms.RadioSelect,
    )
    understood = forms.BooleanField(
        label=gettext_lazy(
            "I have read the plan, I can ask my therapist about it before treatment starts, "
            "and I know I can change my mind or stop the treatment at any time."
        )
    )
    signed_name = forms.CharField(
        label=gettext_lazy("Type your full name to sign"),
        max_length=150,
        help_text=gettext_lazy("Your typed name is your signature."),
    )


@access(SIGNED_IN)
@address_proved
def sign_plan_consent(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The client reads their treatment plan in plain words and signs (or refuses) consent."""
    plan = own_or_refused(
        request, TreatmentPlan.objects.select_related("client__practice", "therapist"), plan_id
    )
    form = PlanConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sign_plan_consent_online(
                plan,
                signed_name=form.cleaned_data["signed_name"],
                given=form.cleaned_data["decision"] == "give",
                by=request.user,
                request=request,
            )
        except RecordError as refused:
            form.add_error(None, " ".join([refused.message, *refused.reasons]))
        else:
            messages.success(
                request,
                _("Thank you: %(name)s will see your decision.")
                % {"name": plan.therapist.display_name},
            )
            return redirect("public:my-account")
    else:
        record_view(
            request, plan.client, record=plan, role="client", detail=gettext_noop("plan to consent")
        )
    return render(
        request,
        "public/plan_consent.html",
        {
            "plan": plan,
            "words": consent_starting_text(plan, None),
            "techniques": modality_labels(plan.techniques),
            "areas": [AREAS[code].label for code in plan.areas if code in AREAS],
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@access(SIGNED_IN)
@address_proved
def answer_own_questionnaire(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    """An outcome questionnaire the therapist asked the client to fill in."""
    asked = own_or_refused(
        request, QuestionnaireRequest.objects.select_related("client__practice"), questionnaire_id
    )
    measure = outcomes.MEASURES[asked.measure]
    if asked.answered_at is not None:
        messages.info(request, _("You have answered this questionnaire. Thank you!"))
        return redirect("public:my-account")
    refused = ""
    if request.method == "POST":
        answers, activities = answers_from(request.POST, measure)
        try:
            answer_questionnaire(
                asked, answers=answers, activities=activities, by=request.user, request=request
            )
        except RecordError as error:
            refused = " ".join([error.message, *error.reasons])
        else:
            messages.success(
                request,
                _("Thank you: %(practice)s has your answers.")
                % {"practice": asked.client.practice.public_name},
            )
            return redirect("public:my-account")
    else:
        record_view(
            request, asked.client, record=asked, role="client", detail=gettext_noop("questionnaire")
        )
    return render(
        request,
        "public/questionnaire.html",
        {"asked": asked, "refused": refused, **questionnaire_form(request.POST, measure)},
        status=400 if refused else 200,
    )


@access(SIGNED_IN)
@address_proved
def own_whole_record(request: HttpRequest, client_id: int, as_format: str) -> HttpResponse:
    """A copy of the client's whole record, as a document (PDF) or as data (JSON): the right of
    access, without asking anyone."""
    client = _own_client(request, client_id)
    return whole_record_response(client, as_format, request)


@access(SIGNED_IN)
@address_proved
def own_lockbox(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client's own lockbox: who in the practice may see which part of their record."""
    client = _own_client(request, client_id)
    if request.method == "POST":
        return change_lockbox(request, client, staff=False)
    return lockbox_page(request, client, staff=False)
