"""Therapist pay: the owner's compensation rules, and the pay report (the owner and the
bookkeeper see every therapist's; a therapist sees their own)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fascia.accounts.access import PAY, PRACTICE_SETUP, access
from fascia.accounts.models import Role
from fascia.accounts.practice_context import PracticeRequest, signed_in_user
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction
from fascia.pay.forms import CompensationRuleForm, PayReportForm
from fascia.pay.models import CompensationRule
from fascia.pay.report import ACCRUAL, csv_lines, pay_report
from fascia.pay.rules import add_compensation_rule, end_compensation_rule
from fascia.practices.models import Therapist
from fascia.spreadsheets import csv_download
from fascia.validation import optional_id


@access(PAY)
def pay(request: PracticeRequest) -> HttpResponse:
    """A period's pay, therapist by therapist, with every line behind each total; CSV too."""
    practice = request.practice
    today = timezone.localdate(timezone=practice.zone)
    month_start = today.replace(day=1)
    form = PayReportForm(
        request.GET if request.GET.get("start") else None,
        initial={"start": month_start, "end": today, "basis": ACCRUAL},
    )
    first, last, basis = month_start, today, ACCRUAL
    if form.is_bound and form.is_valid():
        first, last = form.cleaned_data["start"], form.cleaned_data["end"]
        basis = form.cleaned_data["basis"]
        if last < first:
            first, last = last, first
    therapist: Therapist | None = None
    if request.staff_role == Role.THERAPIST:
        therapist = Therapist.objects.for_practice(practice).filter(user=request.user).first()
        if therapist is None:
            raise Http404
    else:
        chosen = optional_id(request.GET, "therapist")
        if chosen is not None:
            therapist = get_object_or_404(Therapist.objects.for_practice(practice), pk=chosen)
    report = pay_report(practice, first, last, basis=basis, therapist=therapist)
    exporting = request.GET.get("csv") == "1"
    record_access(
        practice=practice,
        actor=request.user,
        action=AuditAction.EXPORT if exporting else AuditAction.VIEW,
        record_type="pay.report",
        request=request,
        detail=f"{basis} {first}..{last}" + (f" therapist {therapist.pk}" if therapist else ""),
    )
    if exporting:
        return csv_download(f"pay-{basis}-{first}-{last}.csv", csv_lines(report))
    return render(
        request,
        "pay/report.html",
        {
            "form": form,
            "report": report,
            "first": first,
            "last": last,
            "basis": basis,
            "therapist": therapist,
            "query": request.GET.urlencode(),
            "therapists": Therapist.objects.for_practice(practice).order_by("display_name"),
        },
    )


def _rules_page(request: PracticeRequest, form: CompensationRuleForm) -> HttpResponse:
    practice = request.practice
    rules = (
        CompensationRule.objects.for_practice(practice)
        .select_related("therapist", "service")
        .order_by("therapist__display_name", "category", "-starts_on")
    )
    return render(
        request,
        "pay/rules.html",
        {"form": form, "rules": rules, "today": timezone.localdate(timezone=practice.zone)},
    )


@access(PRACTICE_SETUP)
def rules(request: PracticeRequest) -> HttpResponse:
    """How each therapist is paid; a new rule is added here (a rule in force is ended, not
    changed, so past pay reports stay true)."""
    practice = request.practice
    form = CompensationRuleForm(
        request.POST or None,
        practice=practice,
        initial={"starts_on": timezone.localdate(timezone=practice.zone)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_compensation_rule(
                data["therapist"],
                basis=data["basis"],
                category=data["category"],
                percent=data["percent"],
                amount=data["amount"],
                service=data["service"],
                own_clients=data["own_clients"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                by=signed_in_user(request),
                request=request,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The pay rule was added."))
            return redirect("pay:rules")
    return _rules_page(request, form)


@access(PRACTICE_SETUP)
@require_POST
def end_rule(request: PracticeRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(CompensationRule.objects.for_practice(request.practice), pk=rule_id)
    try:
        last_day = date.fromisoformat(request.POST.get("last_day", ""))
    except ValueError:
        messages.error(request, _("Give the rule's last day as a date."))
        return redirect("pay:rules")
    try:
        end_compensation_rule(rule, last_day=last_day, by=signed_in_user(request), request=request)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("The pay rule ends on %(day)s.") % {"day": last_day})
    return redirect("pay:rules")
