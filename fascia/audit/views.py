"""The owner's audit log page: who accessed a client's record, what a team member accessed,
by dates and kind of access; its CSV. Reading the log is itself logged."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy, gettext_noop

from fascia.accounts.access import AUDIT_LOG, access
from fascia.accounts.models import StaffMember
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_access, record_search
from fascia.audit.models import AuditAction
from fascia.audit.trail import TrailQuestion, access_trail, emergency_openings, trail_rows
from fascia.clients.models import Client
from fascia.practices.models import Practice
from fascia.spreadsheets import csv_download

CSV_HEADINGS = [
    gettext_lazy("When"),
    gettext_lazy("Who"),
    gettext_lazy("Role"),
    gettext_lazy("Access"),
    gettext_lazy("Client"),
    gettext_lazy("Record"),
    gettext_lazy("Record number"),
    gettext_lazy("Detail"),
    gettext_lazy("Network address"),
    gettext_lazy("Place in the chain"),
]


class TrailForm(forms.Form):
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(), required=False, label=gettext_lazy("Client")
    )
    actor = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(), required=False, label=gettext_lazy("Team member")
    )
    first_day = forms.DateField(
        required=False,
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    last_day = forms.DateField(
        required=False,
        label=gettext_lazy("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    action = forms.ChoiceField(
        choices=[("", gettext_lazy("Any access")), *AuditAction.choices],
        required=False,
        label=gettext_lazy("Kind of access"),
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clients = Client.objects.filter(practice=practice).order_by(
            "legal_last_name", "legal_first_name"
        )
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        members = StaffMember.objects.filter(practice=practice).select_related("user")
        self.fields["actor"].queryset = members.order_by("user__email")  # type: ignore[attr-defined]
        self.fields["actor"].label_from_instance = lambda member: (  # type: ignore[attr-defined]
            f"{member.user.get_full_name() or member.user.email} ({member.get_role_display()})"
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", gettext_lazy("The last day comes after the first."))
        return cleaned


@access(AUDIT_LOG)
def audit_log(request: PracticeRequest) -> HttpResponse:
    practice = request.practice
    form = TrailForm(request.GET or None, practice=practice)
    question = TrailQuestion()
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data
        member = chosen.get("actor")
        question = TrailQuestion(
            client=chosen.get("client"),
            actor=member.user if member else None,
            first_day=chosen.get("first_day"),
            last_day=chosen.get("last_day"),
            action=chosen.get("action") or "",
        )
    entries = access_trail(practice, question)
    asked = request.GET.urlencode()
    if request.GET.get("format") == "csv" and (not form.is_bound or form.is_valid()):
        record_access(
            practice=practice,
            actor=request.user,
            action=AuditAction.EXPORT,
            record_type="audit.auditentry",
            client=question.client,
            request=request,
            detail=f"audit log CSV: {asked}"[:255],
        )
        rows = trail_rows(entries, practice.zone)
        return csv_download("audit-log.csv", [list(map(str, CSV_HEADINGS)), *rows])
    if question.client is not None:
        record_access(
            practice=practice,
            actor=request.user,
            action=AuditAction.SEARCH,
            record_type="audit.auditentry",
            client=question.client,
            request=request,
            detail=gettext_noop("who accessed this record"),
        )
    else:
        record_search(request, practice, record_type="audit.auditentry", detail=asked[:255])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    emergencies = emergency_openings(practice)
    without_page = request.GET.copy()
    without_page.pop("page", None)
    return render(
        request,
        "staff/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": without_page.urlencode(),
            "question": question,
            "emergencies": emergencies,
        },
    )
