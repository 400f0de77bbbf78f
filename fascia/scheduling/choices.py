"""What Fascia decides when the person booking leaves it open: which therapist "anyone" is, and
which location a booking that names none is at. The public booking pages and the API ask these
functions, so the same question always gets the same answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from fascia.clients.models import Client
from fascia.practices.models import Location, Practice, Service, Therapist
from fascia.scheduling.availability import Commitment, Place, Slot, TravelTime, day_edges
from fascia.scheduling.models import CANCELLED_STATUSES, Appointment
from fascia.scheduling.schedule import AvailabilityRequest, candidates, load_schedule
from fascia.scheduling.timeranges import TimeRange
from fascia.scheduling.travel import TravelTimes


def offered_by(practice: Practice, service: Service) -> tuple[list[Therapist], list[Location]]:
    """The active therapists who offer the service, and the locations where it is offered."""
    today = timezone.localdate(timezone=practice.zone)
    return candidates(
        practice, AvailabilityRequest(service=service, minutes=0, first_day=today, last_day=today)
    )


def sole_location(practice: Practice, service: Service, *, in_home: bool) -> Location | None:
    """A booking that names no location is at the one place of its kind (the client's home,
    or a clinic) that offers the service; None when there is not exactly one."""
    _, locations = offered_by(practice, service)
    matching = [location for location in locations if location.is_mobile == in_home]
    return matching[0] if len(matching) == 1 else None


def added_driving(
    day: Sequence[Commitment], visit: TimeRange, place: Place, travel: TravelTime
) -> timedelta:
    """How much longer a therapist's day drives with a visit at `place` in `visit`: to it from
    the commitment before and on to the one after, less the leg between those two it replaces.
    `day` is the therapist's commitments, their day's start and end points included."""
    before = [c for c in day if c.busy.end <= visit.start]
    after = [c for c in day if c.busy.start >= visit.end]
    previous = max(before, key=lambda c: c.busy.end).place if before else None
    following = min(after, key=lambda c: c.busy.start).place if after else None
    added = timedelta(0)
    if previous is not None:
        added += travel(previous, place)
    if following is not None:
        added += travel(place, following)
    if previous is not None and following is not None:
        added -= travel(previous, following)
    return added


def booked_time(day: Sequence[Commitment]) -> timedelta:
    return sum((c.busy.end - c.busy.start for c in day), timedelta(0))


def usual_therapist(client: Client | None) -> int | None:
    """The therapist the client has seen most (visits not cancelled), if any."""
    if client is None or client.pk is None:
        return None
    seen = (
        Appointment.objects.filter(client=client)
        .exclude(status__in=CANCELLED_STATUSES)
        .values("therapist_id")
        .annotate(visits=Count("pk"))
        .order_by("-visits", "therapist_id")
        .first()
    )
    return seen["therapist_id"] if seen else None


def anyone_by_start(
    practice: Practice,
    slots: Iterable[Slot],
    *,
    place: Place | None = None,
    client: Client | None = None,
    travel: TravelTime | None = None,
) -> dict[datetime, int]:
    """ "Anyone": for each start, the therapist booked when the client lets Fascia choose, of
    those free then — of the gender the client prefers, when they said and one is free. A visit
    in the client's home goes to the one whose day grows least in driving (`added_driving`),
    then the lighter day; a clinic visit to the client's usual therapist when free, otherwise
    the lighter day; then by name (then id). The public site and the API ask this one
    function."""
    free: dict[datetime, dict[int, Slot]] = {}
    for slot in slots:
        free.setdefault(slot.start, {}).setdefault(slot.therapist_id, slot)
    if all(len(at_start) == 1 for at_start in free.values()):
        return {start: next(iter(at_start)) for start, at_start in free.items()}  # no choice
    ids = {therapist_id for at_start in free.values() for therapist_id in at_start}
    therapists = list(Therapist.objects.filter(pk__in=ids).order_by("display_name", "pk"))
    by_name = {therapist.pk: position for position, therapist in enumerate(therapists)}
    wanted = client.prefers_therapist_gender if client is not None else ""
    other_gender = {t.pk for t in therapists if wanted and t.gender != wanted}
    zone = practice.zone
    local_days = sorted({start.astimezone(zone).date() for start in free})
    location_ids = {slot.location_id for at_start in free.values() for slot in at_start.values()}
    schedule = load_schedule(
        practice,
        therapists=therapists,
        locations=list(Location.objects.filter(pk__in=location_ids)),
        first_day=local_days[0],
        last_day=local_days[-1],
    )
    days: dict[tuple[int, date], list[Commitment]] = {}
    for commitment in schedule.commitments:
        key = (commitment.therapist_id, commitment.busy.start.astimezone(zone).date())
        days.setdefault(key, []).append(commitment)
    in_home = place is not None and place.is_home
    edges: dict[tuple[int, date], list[Commitment]] = {}
    if in_home:
        assert place is not None
        for edge in day_edges(
            schedule.scheduled,
            location_id=place.location_id,
            zone=zone,
            homes=schedule.homes,
            places=schedule.places,
        ):
            key = (edge.therapist_id, edge.busy.start.astimezone(zone).date())
            edges.setdefault(key, []).append(edge)
    travel = travel or TravelTimes()
    usual = None if in_home else usual_therapist(client)
    chosen = {}
    for start, at_start in free.items():
        day = start.astimezone(zone).date()

        def rank(therapist_id: int, day: date = day, at_start: dict[int, Slot] = at_start) -> tuple:
            booked = days.get((therapist_id, day), [])
            lighter = booked_time(booked)
            if in_home:
                assert place is not None
                slot = at_start[therapist_id]
                driving = added_driving(
                    booked + edges.get((therapist_id, day), []),
                    TimeRange(slot.start, slot.end),
                    place,
                    travel,
                )
                return (therapist_id in other_gender, driving, lighter, by_name[therapist_id])
            unusual = therapist_id != usual
            return (therapist_id in other_gender, unusual, lighter, by_name[therapist_id])

        chosen[start] = min(at_start, key=rank)
    return chosen
