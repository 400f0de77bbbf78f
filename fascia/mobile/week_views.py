"""The week planner's page (owner, front desk) and the page a client opens from the message
that asks them to agree to a change of their home visit."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fascia.accounts.access import MOBILE_WEEK, PUBLIC, access
from fascia.accounts.practice_context import PracticeRequest
from fascia.mobile.models import ChangeAnswer, VisitChangeRequest
from fascia.mobile.week import propose_week_plan
from fascia.mobile.week_moves import (
    answer_visit_change,
    ask_clients_to_agree,
    change_for_token,
    is_open,
)
from fascia.scheduling.errors import BookingError


def _monday(request: HttpRequest, today: date) -> date:
    try:
        asked = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        asked = today + timedelta(days=7)
    return asked - timedelta(days=asked.weekday())


@access(MOBILE_WEEK)
def week_plan(request: PracticeRequest) -> HttpResponse:
    today = timezone.localdate(timezone=request.practice.zone)
    monday = _monday(request, today)
    plan = propose_week_plan(request.practice, monday)
    if request.method == "POST":
        try:
            asked = ask_clients_to_agree(plan, by=request.user, request=request)
        except BookingError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Asked %(count)s client to agree. Their visit moves only if they accept.",
                    "Asked %(count)s clients to agree. Each visit moves only if its client "
                    "accepts.",
                    len(asked),
                )
                % {"count": len(asked)},
            )
        return redirect(f"{request.path}?week={monday.isoformat()}")
    requests = VisitChangeRequest.objects.filter(
        practice=request.practice,
        previous_start__date__gte=monday,
        previous_start__date__lt=monday + timedelta(days=7),
    ).select_related("appointment__client", "therapist", "previous_therapist")
    therapists = [
        (
            plan.therapists[pk],
            plan.booked_minutes.get(pk, 0),
            plan.planned_minutes.get(pk, 0),
            plan.saved_by(pk),
        )
        for pk in sorted(
            set(plan.booked_minutes) | set(plan.planned_minutes),
            key=lambda pk: plan.therapists[pk].display_name,
        )
    ]
    return render(
        request,
        "mobile/week.html",
        {
            "plan": plan,
            "monday": monday,
            "previous_week": (monday - timedelta(days=7)).isoformat(),
            "next_week": (monday + timedelta(days=7)).isoformat(),
            "therapists": therapists,
            "asked": requests,
        },
    )


@access(PUBLIC)
def visit_change(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the message: the client sees the change and accepts or declines it."""
    change = change_for_token(token)
    if change is None:
        raise Http404(_("This link is not valid."))
    error = ""
    if request.method == "POST" and request.POST.get("answer") in ("accept", "decline"):
        try:
            change = answer_visit_change(
                change, accept=request.POST["answer"] == "accept", request=request
            )
        except BookingError as refused:
            error = refused.message
    return render(
        request,
        "public/visit_change.html",
        {
            "change": change,
            "practice": change.practice,
            "open": is_open(change),
            "accepted": change.answer == ChangeAnswer.ACCEPTED,
            "agreed": change.answer == ChangeAnswer.AGREED,
            "declined": change.answer == ChangeAnswer.DECLINED,
            "error": error,
        },
        status=422 if error else 200,
    )
