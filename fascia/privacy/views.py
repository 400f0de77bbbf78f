"""The owner's privacy breach log: record a breach, bring it up to date, tell the affected
clients, and download the IPC's yearly statistics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from fascia.accounts.access import PRIVACY_BREACHES, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_access, record_search
from fascia.audit.models import AuditAction
from fascia.clients.models import Client
from fascia.practices.models import Practice
from fascia.privacy.breaches import (
    BreachError,
    BreachReport,
    record_breach,
    record_notice,
    tell_affected_clients,
    update_breach,
    yearly_statistics,
)
from fascia.privacy.models import (
    BreachKind,
    BreachStatus,
    IpcCategory,
    NoticeMethod,
    PrivacyBreach,
)
from fascia.spreadsheets import csv_download


class BreachForm(forms.Form):
    discovered_at = forms.DateTimeField(
        label=gettext_lazy("Discovered"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    occurred_on = forms.DateField(
        label=gettext_lazy("Happened on (if known)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=BreachKind.choices)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=BreachStatus.choices)
    what_happened = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 3})
    )
    records_affected = forms.CharField(
        label=gettext_lazy("Records affected"), widget=forms.Textarea(attrs={"rows": 2})
    )
    containment = forms.CharField(
        label=gettext_lazy("Containment: what was done to stop it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    clients = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Clients affected"),
        queryset=Client.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    others_affected = forms.IntegerField(
        label=gettext_lazy("Other people affected (not clients)"),
        min_value=0,
        max_value=1_000_000,
        initial=0,
        required=False,
    )
    ipc_categories = forms.MultipleChoiceField(
        label=gettext_lazy("The IPC must be told because…"),
        choices=IpcCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reported_to_ipc_on = forms.DateField(
        label=gettext_lazy("Reported to the IPC on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = Client.objects.for_practice(practice).order_by(  # type: ignore[attr-defined]
            "legal_last_name", "legal_first_name"
        )

    def report(self) -> BreachReport:
        data = self.cleaned_data
        return BreachReport(
            discovered_at=data["discovered_at"],
            occurred_on=data.get("occurred_on"),
            kind=data["kind"],
            status=data["status"],
            what_happened=data["what_happened"],
            records_affected=data["records_affected"],
            containment=data.get("containment") or "",
            ipc_categories=tuple(data.get("ipc_categories") or ()),
            reported_to_ipc_on=data.get("reported_to_ipc_on"),
            others_affected=data.get("others_affected") or 0,
        )


def _initial(breach: PrivacyBreach) -> dict[str, Any]:
    return {
        "discovered_at": timezone.localtime(breach.discovered_at, breach.practice.zone).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "occurred_on": breach.occurred_on,
        "kind": breach.kind,
        "status": breach.status,
        "what_happened": breach.what_happened,
        "records_affected": breach.records_affected,
        "containment": breach.containment,
        "clients": list(breach.clients.all()),
        "others_affected": max(breach.people_affected - breach.clients.count(), 0),
        "ipc_categories": breach.ipc_categories,
        "reported_to_ipc_on": breach.reported_to_ipc_on,
    }


@access(PRIVACY_BREACHES)
def breach_log(request: PracticeRequest) -> HttpResponse:
    practice = request.practice
    form = BreachForm(request.POST or None, practice=practice)
    if request.method == "POST" and form.is_valid():
        try:
            breach = record_breach(
                practice,
                form.report(),
                clients=form.cleaned_data["clients"],
                by=request.user,
                request=request,
            )
        except BreachError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The breach is recorded."))
            return redirect("privacy:breach", breach_id=breach.pk)
    record_search(
        request, practice, record_type="privacy.privacybreach", detail=gettext_noop("breach log")
    )
    breaches = PrivacyBreach.objects.for_practice(practice).prefetch_related("notices", "clients")
    this_year = timezone.localdate(timezone=practice.zone).year
    return render(
        request,
        "privacy/breach_log.html",
        {"form": form, "breaches": breaches, "years": [this_year - 1, this_year]},
        status=422 if form.errors else 200,
    )


@access(PRIVACY_BREACHES)
def breach(request: PracticeRequest, breach_id: int) -> HttpResponse:
    found = get_object_or_404(PrivacyBreach.objects.for_practice(request.practice), pk=breach_id)
    form = BreachForm(request.POST or None, initial=_initial(found), practice=request.practice)
    if request.method == "POST" and form.is_valid():
        try:
            update_breach(
                found,
                form.report(),
                clients=form.cleaned_data["clients"],
                by=request.user,
                request=request,
            )
        except BreachError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The breach is brought up to date."))
            return redirect("privacy:breach", breach_id=found.pk)
    record_access(
        practice=request.practice,
        actor=request.user,
        action=AuditAction.VIEW,
        record=found,
        request=request,
        detail=gettext_noop("privacy breach"),
    )
    told = {notice.client_id: notice for notice in found.notices.all()}
    affected = [(client, told.get(client.pk)) for client in found.clients.order_by("pk")]
    return render(
        request,
        "privacy/breach.html",
        {"breach": found, "form": form, "affected": affected, "methods": NoticeMethod.choices},
        status=422 if form.errors else 200,
    )


@access(PRIVACY_BREACHES)
def tell_clients(request: PracticeRequest, breach_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = get_object_or_404(PrivacyBreach.objects.for_practice(request.practice), pk=breach_id)
    try:
        still = tell_affected_clients(found, by=request.user, request=request)
    except BreachError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The notice was emailed to the affected clients."))
        if still:
            messages.warning(
                request,
                _("%(names)s have no email address: tell them by phone or letter, then record it.")
                % {"names": ", ".join(client.display_name for client in still)},
            )
    return redirect("privacy:breach", breach_id=found.pk)


@access(PRIVACY_BREACHES)
def told_another_way(request: PracticeRequest, breach_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = get_object_or_404(PrivacyBreach.objects.for_practice(request.practice), pk=breach_id)
    client = get_object_or_404(
        Client.objects.for_practice(request.practice), pk=request.POST.get("client") or 0
    )
    try:
        record_notice(
            found, client, method=request.POST.get("method", ""), by=request.user, request=request
        )
    except BreachError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Recorded: %(name)s was told.") % {"name": client.display_name})
    return redirect("privacy:breach", breach_id=found.pk)


@access(PRIVACY_BREACHES)
def statistics(request: PracticeRequest, year: int) -> HttpResponse:
    """The yearly statistics the IPC asks for by March 1, as CSV."""
    record_access(
        practice=request.practice,
        actor=request.user,
        action=AuditAction.EXPORT,
        record_type="privacy.privacybreach",
        request=request,
        detail=f"breach statistics {year}",
    )
    headings = [_("Kind"), _("Breaches"), _("People affected")]
    return csv_download(
        f"privacy-breaches-{year}.csv", [headings, *yearly_statistics(request.practice, year)]
    )
