"""Taking the records of one's clients to a new practice: the therapist asks and, once the
owner approves, downloads them; the owner decides on the same page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.accounts.access import CLINICAL_RECORD, access
from fascia.accounts.models import Role
from fascia.accounts.practice_context import PracticeRequest
from fascia.practices.models import Therapist
from fascia.records.care import clients_in_care_of
from fascia.records.errors import RecordError
from fascia.records.models import RecordTransfer
from fascia.records.transfer import (
    ask_to_take_records,
    decide_record_transfer,
    transfer_archive,
)


@access(CLINICAL_RECORD)
def record_transfers(request: PracticeRequest) -> HttpResponse:
    practice = request.practice
    therapist = Therapist.objects.for_practice(practice).filter(user=request.user).first()
    is_owner = request.staff_role == Role.OWNER
    if request.method == "POST":
        try:
            if request.POST.get("do") == "ask" and therapist is not None:
                ask_to_take_records(
                    therapist,
                    by=request.user,
                    reason=request.POST.get("reason", ""),
                    request=request,
                )
                messages.success(request, _("Your request is with the owner."))
            elif request.POST.get("do") in ("approve", "refuse") and is_owner:
                transfer = get_object_or_404(
                    RecordTransfer.objects.for_practice(practice),
                    pk=request.POST.get("transfer") or 0,
                )
                decide_record_transfer(
                    transfer,
                    approve=request.POST["do"] == "approve",
                    refusal_reason=request.POST.get("refusal_reason", ""),
                    by=request.user,
                    request=request,
                )
                messages.success(request, _("Decided."))
        except RecordError as refused:
            messages.error(request, refused.message)
        return redirect("records:transfers")
    mine = (
        RecordTransfer.objects.for_practice(practice).filter(therapist=therapist)
        if therapist
        else RecordTransfer.objects.none()
    )
    waiting = (
        RecordTransfer.objects.for_practice(practice)
        .filter(approved_at__isnull=True, refused_at__isnull=True)
        .select_related("therapist")
        if is_owner
        else RecordTransfer.objects.none()
    )
    return render(
        request,
        "records/transfers.html",
        {
            "therapist": therapist,
            "in_care": clients_in_care_of(therapist).count() if therapist else 0,
            "mine": mine,
            "waiting": waiting,
        },
    )


@access(CLINICAL_RECORD)
def transfer_download(request: PracticeRequest, transfer_id: int) -> HttpResponse:
    transfer = get_object_or_404(
        RecordTransfer.objects.for_practice(request.practice).select_related("therapist"),
        pk=transfer_id,
    )
    try:
        archive = transfer_archive(transfer, by=request.user, request=request)
    except RecordError as refused:
        messages.error(request, refused.message)
        return redirect("records:transfers")
    response = HttpResponse(archive, content_type="application/zip")
    day = timezone.localdate(timezone=request.practice.zone).isoformat()
    response["Content-Disposition"] = f'attachment; filename="client-records-{day}.zip"'
    return response
