"""The front desk's schedule board: a column per therapist (or room), each therapist's working
time, and what each visit's icons say. This screen combines three domains — the schedule, the
clinical record (alerts, unsigned notes) and billing (unpaid) — so it lives with the screens,
and the calendar's JSON (`GET /api/v1/schedule`) and the list view both read it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fascia.billing.totals import visit_balances
from fascia.practices.models import Location, Practice, Room, Therapist
from fascia.records.queries import clients_with_alerts, visits_with_signed_notes
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.schedule import load_schedule
from fascia.scheduling.timeranges import TimeRange, normalise, subtract

# What each icon on a visit means, in the order the legend shows them. The symbol is drawn
# beside its words (the legend) or with them as its accessible name (on a visit).
ICONS: tuple[tuple[str, str, Any], ...] = (
    ("booked", "○", _("Booked")),
    ("confirmed", "✓", _("Confirmed by the client")),
    ("arrived", "●", _("Arrived")),
    ("in_treatment", "▶", _("In treatment")),
    ("completed", "✔", _("Completed")),
    ("no_show", "✕", _("No-show")),
    ("late_cancelled", "⊘", _("Cancelled late")),
    ("cancelled", "–", _("Cancelled")),
    ("home", "⌂", _("In the client's home")),
    ("unpaid", "$", _("Not paid yet")),
    ("note_unsigned", "✎", _("Treatment note not signed")),
    ("alert", "⚠", _("Health alert on file")),
)
ICON_SYMBOL = {key: symbol for key, symbol, _label in ICONS}
ICON_LABEL = {key: label for key, _symbol, label in ICONS}


def icons(keys: list[str]) -> list[tuple[str, str, Any]]:
    """`visit_flags` keys as (key, symbol, label), for a template."""
    return [(key, ICON_SYMBOL[key], ICON_LABEL[key]) for key in keys]


TREATED = (AppointmentStatus.ARRIVED, AppointmentStatus.COMPLETED)


def billable(appointment: Appointment) -> bool:
    """A visit something is owed for: a treatment given, or a missed visit's fee."""
    return appointment.status == AppointmentStatus.COMPLETED or (
        appointment.late_cancellation_fee_due
        and appointment.status in (AppointmentStatus.LATE_CANCELLED, AppointmentStatus.NO_SHOW)
    )


def visit_flags(
    appointments: list[Appointment], *, now: datetime, clinical: bool
) -> dict[int, list[str]]:
    """Each visit's icons (`ICONS` keys): its status, then what still needs doing. `clinical`
    adds the alert and unsigned-note icons (not for the bookkeeper)."""
    ids = [appointment.pk for appointment in appointments]
    balances = visit_balances(ids)
    signed: set[int] = set()
    alerted: set[int] = set()
    if clinical and appointments:
        signed = visits_with_signed_notes(ids)
        today = now.astimezone(appointments[0].practice.zone).date()
        alerted = clients_with_alerts({a.client_id for a in appointments}, today)
    flags: dict[int, list[str]] = {}
    for appointment in appointments:
        status = str(appointment.status)
        if status == AppointmentStatus.BOOKED and appointment.confirmed_at is not None:
            status = "confirmed"
        elif status == AppointmentStatus.ARRIVED and appointment.starts_at <= now:
            status = "in_treatment"
        shown = [status]
        if appointment.visit_postal_code:
            shown.append("home")
        if billable(appointment) and balances.get(appointment.pk, 1) > 0:
            shown.append("unpaid")
        if clinical:
            treated = appointment.status in TREATED and appointment.starts_at <= now
            if treated and appointment.pk not in signed:
                shown.append("note_unsigned")
            if appointment.client_id in alerted and appointment.status in (
                AppointmentStatus.BOOKED,
                AppointmentStatus.ARRIVED,
            ):
                shown.append("alert")
        flags[appointment.pk] = shown
    return flags


@dataclass(frozen=True)
class WorkingStretch:
    therapist_id: int
    location_id: int
    start: datetime
    end: datetime


def working_time(
    practice: Practice, therapists: list[Therapist], first: date, last: date
) -> list[WorkingStretch]:
    """When each therapist may be booked, day by day: shifts and one-off changes, less breaks,
    time off and closed holidays (what the booking rules themselves use)."""
    locations = list(Location.objects.for_practice(practice).filter(is_active=True))
    if not therapists or not locations:
        return []
    schedule = load_schedule(
        practice, therapists=therapists, locations=locations, first_day=first, last_day=last
    )
    return sorted(
        (
            WorkingStretch(therapist_id, location_id, stretch.start, stretch.end)
            for (therapist_id, location_id), ranges in schedule.working.items()
            for stretch in ranges
        ),
        key=lambda s: (s.therapist_id, s.start),
    )


def off_hours(
    practice: Practice,
    therapist_ids: list[int],
    stretches: list[WorkingStretch],
    first: date,
    last: date,
) -> dict[int, list[TimeRange]]:
    """Each therapist's time with no work, whole days from `first` to `last`: shaded on the
    schedule and not selectable."""
    working: dict[int, list[TimeRange]] = defaultdict(list)
    for stretch in stretches:
        working[stretch.therapist_id].append(TimeRange(stretch.start, stretch.end))
    start, _end = practice.day_bounds(first)
    _start, end = practice.day_bounds(last)
    whole = [TimeRange(start, end)]
    return {tid: subtract(whole, normalise(working.get(tid, []))) for tid in therapist_ids}


def schedule_visits(
    practice: Practice,
    first: date,
    last: date,
    *,
    therapist_id: int | None = None,
    location_id: int | None = None,
) -> QuerySet[Appointment]:
    """The visits starting on the practice's days `first` to `last`."""
    start, _ = practice.day_bounds(first)
    _, end = practice.day_bounds(last)
    visits = (
        Appointment.objects.for_practice(practice)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("client", "therapist", "service", "location", "room")
        .order_by("starts_at", "therapist__display_name")
    )
    if therapist_id is not None:
        visits = visits.filter(therapist_id=therapist_id)
    if location_id is not None:
        visits = visits.filter(location_id=location_id)
    return visits


def room_columns(practice: Practice) -> list[dict[str, Any]]:
    """The columns of the by-room view: each clinic's rooms, then each mobile location's home
    visits (one column each)."""
    columns = [
        {"id": f"room-{room.pk}", "title": f"{room.location.name} · {room.name}"}
        for room in Room.objects.for_practice(practice)
        .filter(is_active=True, location__is_active=True)
        .select_related("location")
        .order_by("location__name", "name")
    ]
    for location in Location.objects.for_practice(practice).filter(is_active=True):
        columns.append({"id": f"place-{location.pk}", "title": location.name})
    return columns


def room_column_of(appointment: Appointment) -> str:
    return (
        f"room-{appointment.room_id}" if appointment.room_id else f"place-{appointment.location_id}"
    )


def day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_span(practice: Practice) -> tuple[str, str]:
    """The hours the schedule shows: an hour either side of the earliest start and latest end
    of anyone's weekly shifts (7 am to 9 pm when nobody has hours yet)."""
    from django.db.models import Max, Min

    from fascia.scheduling.models import WeeklyShift

    span = WeeklyShift.objects.for_practice(practice).aggregate(
        first=Min("starts_at"), last=Max("ends_at")
    )
    first = span["first"].hour - 1 if span["first"] else 7
    last = span["last"].hour + (2 if span["last"].minute else 1) if span["last"] else 21
    return f"{max(first, 0):02d}:00:00", f"{min(last, 24):02d}:00:00"


def calendar_text() -> dict[str, str]:
    """The schedule's sentences, translated here so the page's script needs no catalogue."""
    return {
        "today": gettext("Today"),
        "previous": gettext("Earlier"),
        "next": gettext("Later"),
        "day": gettext("Day"),
        "week": gettext("Week"),
        "list": gettext("List"),
        "serverSaid": gettext("The server answered %(status)s."),
        "notWorking": gettext(
            "%(name)s is not working then: choose a time in the white part of their column."
        ),
        "taken": gettext("%(name)s already has %(client)s then."),
        "moveSummary": gettext("%(client)s to %(when)s with %(name)s."),
        "moved": gettext("Moved %(client)s to %(when)s."),
        "notMoved": gettext("Not moved."),
        "notMovedBecause": gettext("Not moved: %(reason)s"),
        "minutes": gettext("%(minutes)s minutes · $%(price)s"),
        "homeVisit": gettext("At the client's home (%(name)s)"),
        "inClinic": gettext("In the clinic: %(name)s"),
        "giveAddress": gettext("Give the client's street address and postal code."),
        "priceTaxed": gettext(
            "$%(price)s + $%(travel)s travel + $%(tax)s %(tax_name)s = $%(total)s in all."
        ),
        "priceUntaxed": gettext("$%(price)s + $%(travel)s travel = $%(total)s in all (no tax)."),
        "homeServed": gettext("In %(area)s (visited %(days)s). Travel fee $%(fee)s."),
        "bookingFor": gettext("Choose a free time to book for %(client)s."),
        "chooseClient": gettext("Find and choose the client, or choose “New client”."),
        "nameNewClient": gettext("Give the new client's first and last name."),
        "noPlace": gettext("This service is not offered anywhere yet."),
        "booked": gettext("Booked %(client)s."),
        "atHome": gettext("at home"),
        "atAddress": gettext("at %(address)s"),
        "visitDetail": gettext("%(service)s, %(minutes)s min with %(name)s — %(place)s"),
        "marked": gettext("%(client)s: %(status)s."),
        "confirmed": gettext("%(client)s confirmed."),
        "cancelled": gettext("%(client)s's visit is cancelled."),
    }
