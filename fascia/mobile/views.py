"""The mobile day on screen: a therapist's visits with the drive between them, the planner's
proposal to confirm, check-in buttons for the phone, and a printable run sheet."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fascia.accounts.access import CLIENT_DIRECTORY, access
from fascia.accounts.practice_context import PracticeRequest, acts_for_therapist
from fascia.audit.log import record_list_view
from fascia.audit.models import AuditAction
from fascia.mobile.day import maps_link, therapist_day
from fascia.mobile.models import CheckInKind, SafetyCheckIn
from fascia.mobile.planner import apply_day_plan, propose_day_plan
from fascia.mobile.safety import check_in, next_check_in
from fascia.practices.models import Therapist
from fascia.privacy.lockbox import alerts_for
from fascia.records.queries import alerts_against
from fascia.scheduling.booking import BookingError
from fascia.scheduling.models import Appointment


def _therapist(request: PracticeRequest, therapist_id: int) -> Therapist:
    return get_object_or_404(Therapist.objects.for_practice(request.practice), pk=therapist_id)


@access(CLIENT_DIRECTORY)
def my_day(request: PracticeRequest) -> HttpResponse:
    therapist = Therapist.objects.for_practice(request.practice).filter(user=request.user).first()
    if therapist is None:
        messages.info(request, _("Choose a therapist's day from the calendar."))
        return redirect("staff:calendar")
    today = timezone.localdate(timezone=request.practice.zone)
    return redirect("mobile:day", therapist_id=therapist.pk, day=today.isoformat())


@access(CLIENT_DIRECTORY)
def day_view(request: PracticeRequest, therapist_id: int, day: str) -> HttpResponse:
    therapist = _therapist(request, therapist_id)
    on = _date(day)
    plan = None
    if request.method == "POST":
        if not acts_for_therapist(request.user, therapist):
            messages.error(request, _("Only the therapist (or the owner) plans their day."))
            return redirect("mobile:day", therapist_id=therapist.pk, day=on.isoformat())
        try:
            plan = propose_day_plan(therapist, on)
            if request.POST.get("action") == "apply":
                moved = apply_day_plan(
                    plan,
                    fingerprint=request.POST.get("fingerprint", ""),
                    by=request.user,
                    request=request,
                )
                messages.success(
                    request,
                    ngettext(
                        "Day replanned: %(count)s visit moved, %(minutes)s minutes less "
                        "driving. Clients whose time changed have been told.",
                        "Day replanned: %(count)s visits moved, %(minutes)s minutes less "
                        "driving. Clients whose time changed have been told.",
                        len(moved),
                    )
                    % {"count": len(moved), "minutes": plan.saved_minutes},
                )
                return redirect("mobile:day", therapist_id=therapist.pk, day=on.isoformat())
        except BookingError as refused:
            messages.error(request, refused.message)
            plan = None
    schedule = therapist_day(therapist, on)
    record_list_view(
        request,
        (visit.client for visit in schedule.visits),
        record_type="mobile.day",
        detail=f"{therapist.display_name}'s day {on.isoformat()}",
    )
    check_ins: dict[int, list[str]] = {}
    for entry in SafetyCheckIn.objects.filter(appointment__in=schedule.visits):
        check_ins.setdefault(entry.appointment_id, []).append(entry.kind)
    alerts = {
        visit.client_id: alerts_for(request.user, visit.client)[0] for visit in schedule.visits
    }
    rows = [
        {
            "visit": visit,
            "alerts": alerts[visit.client_id],
            "against": alerts_against(alerts[visit.client_id], visit.service),
            "leg": schedule.leg_before(visit),
            "done_labels": [CheckInKind(kind).label for kind in check_ins.get(visit.pk, [])],
            "next_check_in": next_check_in(visit, check_ins.get(visit.pk, [])),
            "maps": maps_link(visit) if visit.is_in_home else "",
        }
        for visit in schedule.visits
    ]
    return render(
        request,
        "mobile/day.html",
        {
            "therapist": therapist,
            "day": on,
            "schedule": schedule,
            "rows": rows,
            "last_leg": schedule.legs[-1] if schedule.legs else None,
            "plan": plan,
            "may_act": acts_for_therapist(request.user, therapist),
            "previous_day": (on - timedelta(days=1)).isoformat(),
            "next_day": (on + timedelta(days=1)).isoformat(),
        },
    )


@access(CLIENT_DIRECTORY)
def run_sheet(request: PracticeRequest, therapist_id: int, day: str) -> HttpResponse:
    therapist = _therapist(request, therapist_id)
    schedule = therapist_day(therapist, _date(day))
    record_list_view(
        request,
        (visit.client for visit in schedule.visits),
        record_type="mobile.run_sheet",
        action=AuditAction.PRINT,
        detail=f"{therapist.display_name}'s run sheet {schedule.day.isoformat()}",
    )
    rows = []
    for visit in schedule.visits:
        alerts = alerts_for(request.user, visit.client)[0]
        rows.append(
            {
                "visit": visit,
                "leg": schedule.leg_before(visit),
                "alerts": alerts,
                "against": alerts_against(alerts, visit.service),
            }
        )
    return render(
        request,
        "mobile/run_sheet.html",
        {"therapist": therapist, "day": schedule.day, "schedule": schedule, "rows": rows},
    )


@access(CLIENT_DIRECTORY)
def record_check_in(request: PracticeRequest, appointment_id: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.for_practice(request.practice).select_related("therapist"),
        pk=appointment_id,
    )
    day = timezone.localtime(appointment.starts_at, request.practice.zone).date()
    if request.method != "POST":
        return redirect("mobile:day", therapist_id=appointment.therapist_id, day=day.isoformat())
    try:
        entry = check_in(
            appointment, request.POST.get("kind", ""), by=request.user, request=request
        )
        messages.success(request, _("%(kind)s — recorded.") % {"kind": entry.get_kind_display()})
    except BookingError as refused:
        messages.error(request, refused.message)
    return redirect("mobile:day", therapist_id=appointment.therapist_id, day=day.isoformat())


def _date(text: str) -> date:
    from django.http import Http404

    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise Http404("No such day.") from error
