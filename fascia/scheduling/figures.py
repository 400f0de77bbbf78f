"""How the practice's days went, counted from its appointments: visits, no-shows and late
cancellations, how full each therapist's working time was, and new versus returning clients.
The owner's dashboard and the reports page read these; every period is a run of the practice's
own days (its time zone), first and last included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Min
from django.utils.translation import gettext as _

from fascia.charts import bar_chart
from fascia.practices.models import Location, Practice, Therapist
from fascia.reports import Report, column_sums
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.schedule import load_schedule
from fascia.scheduling.timeranges import TimeRange, intersect, union

# Time a therapist was booked for: what happened or is still to happen (not cancellations).
BOOKED_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)
# The visits a no-show or late-cancellation rate is out of: every one that was due to happen.
DUE_STATUSES = (
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
    AppointmentStatus.LATE_CANCELLED,
)


def _bounds(practice: Practice, first: date, last: date) -> tuple[datetime, datetime]:
    return practice.day_bounds(first)[0], practice.day_bounds(last)[1]


def rate(part: int, whole: int) -> Decimal:
    """`part` of `whole` as a percentage to one decimal (0 when there is nothing to count)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Attendance:
    completed: int
    no_shows: int
    late_cancellations: int
    cancellations: int  # in time, no fee

    @property
    def due(self) -> int:
        return self.completed + self.no_shows + self.late_cancellations

    @property
    def no_show_rate(self) -> Decimal:
        return rate(self.no_shows, self.due)

    @property
    def late_cancellation_rate(self) -> Decimal:
        return rate(self.late_cancellations, self.due)


def attendance(
    practice: Practice, first: date, last: date, *, therapist: Therapist | None = None
) -> Attendance:
    start, end = _bounds(practice, first, last)
    visits = Appointment.objects.for_practice(practice).filter(
        starts_at__gte=start, starts_at__lt=end
    )
    if therapist is not None:
        visits = visits.filter(therapist=therapist)
    counted = dict.fromkeys(AppointmentStatus.values, 0)
    for status in visits.values_list("status", flat=True):
        counted[status] += 1
    return Attendance(
        completed=counted[AppointmentStatus.COMPLETED],
        no_shows=counted[AppointmentStatus.NO_SHOW],
        late_cancellations=counted[AppointmentStatus.LATE_CANCELLED],
        cancellations=counted[AppointmentStatus.CANCELLED],
    )


@dataclass(frozen=True)
class Fill:
    therapist: Therapist
    booked_minutes: int
    working_minutes: int

    @property
    def percent(self) -> Decimal:
        return rate(min(self.booked_minutes, self.working_minutes), self.working_minutes)


def schedule_fill(practice: Practice, first: date, last: date) -> list[Fill]:
    """Each active therapist's booked time against their working time (shifts and one-off
    changes, less breaks, time off and closed holidays: what booking itself offers)."""
    therapists = list(Therapist.objects.for_practice(practice).filter(is_active=True))
    locations = list(Location.objects.for_practice(practice).filter(is_active=True))
    if not therapists or not locations:
        return []
    start, end = _bounds(practice, first, last)
    period = [TimeRange(start, end)]
    schedule = load_schedule(
        practice, therapists=therapists, locations=locations, first_day=first, last_day=last
    )
    working: dict[int, list[TimeRange]] = {}
    for (therapist_id, _location_id), ranges in schedule.working.items():
        working[therapist_id] = union(working.get(therapist_id, []), ranges)
    booked: dict[int, int] = {}
    for therapist_id, starts, ends in (
        Appointment.objects.for_practice(practice)
        .filter(starts_at__gte=start, starts_at__lt=end, status__in=BOOKED_STATUSES)
        .values_list("therapist_id", "starts_at", "ends_at")
    ):
        booked[therapist_id] = booked.get(therapist_id, 0) + int(
            (ends - starts).total_seconds() // 60
        )
    return [
        Fill(
            therapist,
            booked.get(therapist.pk, 0),
            int(
                sum(
                    (stretch.end - stretch.start).total_seconds()
                    for stretch in intersect(working.get(therapist.pk, []), period)
                )
                // 60
            ),
        )
        for therapist in therapists
    ]


@dataclass(frozen=True)
class ClientMix:
    new: int  # their first completed visit ever was in the period
    returning: int  # a completed visit in the period, and one before it

    @property
    def returning_share(self) -> Decimal:
        return rate(self.returning, self.new + self.returning)


def client_mix(practice: Practice, first: date, last: date) -> ClientMix:
    start, end = _bounds(practice, first, last)
    completed = Appointment.objects.for_practice(practice).filter(
        status=AppointmentStatus.COMPLETED
    )
    seen = set(
        completed.filter(starts_at__gte=start, starts_at__lt=end).values_list(
            "client_id", flat=True
        )
    )
    firsts = dict(
        completed.filter(client_id__in=seen)
        .values("client_id")
        .annotate(first=Min("starts_at"))
        .values_list("client_id", "first")
    )
    new = sum(1 for client_id in seen if firsts[client_id] >= start)
    return ClientMix(new=new, returning=len(seen) - new)


def visits_by_therapist(practice: Practice, first: date, last: date) -> Report:
    """Per therapist: visits given, no-shows, late cancellations, and how full their working
    time was; with a chart of visits."""
    fills = {fill.therapist.pk: fill for fill in schedule_fill(practice, first, last)}
    rows = []
    for therapist in Therapist.objects.for_practice(practice).filter(is_active=True):
        counted = attendance(practice, first, last, therapist=therapist)
        fill = fills.get(therapist.pk)
        rows.append(
            (
                therapist.display_name,
                counted.completed,
                counted.no_shows,
                counted.late_cancellations,
                f"{fill.percent}%" if fill else "—",
            )
        )
    return Report(
        _("Visits by therapist"),
        (_("Therapist"), _("Visits"), _("No-shows"), _("Late cancellations"), _("Schedule fill")),
        rows,
        column_sums(rows, 5),
        bar_chart(
            _("Visits given by each therapist"),
            [row[0] for row in rows],
            [row[1] for row in rows],
            [str(row[1]) for row in rows],
        ),
    )


def clients_new_and_returning(practice: Practice, first: date, last: date) -> Report:
    mix = client_mix(practice, first, last)
    rows: list[tuple[object, ...]] = [
        (_("New clients (first visit)"), mix.new),
        (_("Returning clients"), mix.returning),
    ]
    return Report(
        _("New and returning clients"),
        (_("Clients seen"), _("Count")),
        rows,
        (_("Total"), mix.new + mix.returning),
    )
