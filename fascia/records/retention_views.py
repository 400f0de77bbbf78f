"""The owner's retention page: the records past their retention period, destroying one on
confirmation, and the disposal log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fascia.accounts.access import RECORDS_RETENTION, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.audit.log import record_search
from fascia.clients.models import Client
from fascia.records.errors import RecordError
from fascia.records.models import RecordDisposal
from fascia.records.retention import dispose_of_record, past_retention

DISPOSALS_SHOWN = 50


@access(RECORDS_RETENTION)
def retention(request: PracticeRequest) -> HttpResponse:
    practice = request.practice
    if request.method == "POST":
        client = get_object_or_404(
            Client.objects.for_practice(practice), pk=request.POST.get("client") or 0
        )
        try:
            disposal = dispose_of_record(
                client,
                by=request.user,
                confirmation=request.POST.get("confirmation", ""),
                request=request,
            )
        except RecordError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Record %(number)s was destroyed; the disposal log keeps when, by whom and how.")
                % {"number": disposal.client_number},
            )
        return redirect("records:retention")
    record_search(
        request, practice, record_type="clients.client", detail=gettext_noop("past retention")
    )
    return render(
        request,
        "records/retention.html",
        {
            "ended": past_retention(practice),
            "disposals": RecordDisposal.objects.for_practice(practice).select_related(
                "disposed_by"
            )[:DISPOSALS_SHOWN],
        },
    )
