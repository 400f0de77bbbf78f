"""Demo appointments: about three months back and three months ahead, fitted into the
therapists' real working time with turnover, free rooms and no client in two places at once.
Seed data is inserted in bulk (the booking action refuses past times by design); the database's
no-overlap rules still check every row."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from fascia.clients.models import Client
from fascia.demo import catalogue
from fascia.practices.models import Location, Practice, Service, Therapist
from fascia.scheduling.geography import locate_postal_code
from fascia.scheduling.imports import import_appointments
from fascia.scheduling.models import (
    Appointment,
    AppointmentStatus,
    BookingChannel,
)
from fascia.scheduling.schedule import load_schedule, location_offers, offers
from fascia.scheduling.timeranges import OccupiedTimeline, TimeRange

GAPS_MINUTES = [0, 0, 15, 15, 30, 45, 60, 90]
# A home visit is followed by the drive to the next home (the demo's clients live across the
# whole service area), so home-visit days are not booked back to back.
DRIVE_BETWEEN_HOMES = timedelta(minutes=45)
PORTAL_THERAPIST = "therapist@demo.test"
PORTAL_VISIT_EVERY = timedelta(days=21)
PAST_OUTCOMES = [
    (AppointmentStatus.COMPLETED, 85),
    (AppointmentStatus.CANCELLED, 7),
    (AppointmentStatus.LATE_CANCELLED, 5),
    (AppointmentStatus.NO_SHOW, 3),
]


def quarter_hour_after(moment: datetime) -> datetime:
    """Clinics book on the quarter hour (practice zones are whole or half hours from UTC)."""
    spare = timedelta(minutes=moment.minute % 15, seconds=moment.second)
    return moment if not spare else moment + timedelta(minutes=15) - spare


def leave_free(chooser: random.Random, location: Location, starts: datetime, now: datetime) -> bool:
    """Whether the demo leaves this time unbooked. The past is full, as a busy practice's is;
    ahead, the books thin out the further away a day is (most of next week is taken, little
    of two months on), and home-visit days keep more room, so a visitor trying to book finds
    times at the clinic and at home in every area on its days."""
    if starts < now:
        return False
    weeks_ahead = (starts - now).days / 7
    chance = min(0.85, 0.2 + 0.08 * weeks_ahead) + (0.15 if location.is_mobile else 0.0)
    return chooser.random() < chance


def visit_outcome(chooser: random.Random, starts: datetime, ends: datetime, now: datetime) -> str:
    """What became of a demo visit: booked ahead, under way now (the client has arrived: its
    note is not written yet), or one of the usual outcomes once it is over."""
    if starts >= now:
        return AppointmentStatus.CANCELLED if chooser.random() < 0.04 else AppointmentStatus.BOOKED
    if ends > now:
        return AppointmentStatus.ARRIVED
    statuses, weights = zip(*PAST_OUTCOMES, strict=True)
    return chooser.choices(statuses, weights)[0]


def load_demo_history(practice: Practice, today: date | None = None) -> int:
    """Add the demo appointments once; returns how many were made (0 if already there)."""
    if Appointment.objects.for_practice(practice).exists():
        return 0
    today = today or timezone.localdate(timezone=practice.zone)
    now = timezone.now()
    chooser = random.Random(7)
    therapists = list(
        Therapist.objects.for_practice(practice).filter(is_active=True).select_related("user")
    )
    locations = {loc.pk: loc for loc in Location.objects.for_practice(practice)}
    services = list(
        Service.objects.for_practice(practice).filter(is_active=True).prefetch_related("durations")
    )
    everyone = list(Client.objects.for_practice(practice))
    portal_client = next((c for c in everyone if c.user_id), None)
    clients = [c for c in everyone if c is not portal_client]
    regulars = clients[: len(clients) * 2 // 3]  # most visits come from returning clients
    # The demo's own client (client@demo.test) sees Maya Chen in the clinic every three weeks.
    portal_therapist = next((t for t in therapists if t.user.email == PORTAL_THERAPIST), None)
    first = today - timedelta(days=catalogue.HISTORY_DAYS_PAST)
    next_portal_day = first + timedelta(days=4)
    last = today + timedelta(days=catalogue.HISTORY_DAYS_AHEAD)
    schedule = load_schedule(
        practice,
        therapists=therapists,
        locations=list(locations.values()),
        first_day=first,
        last_day=last,
        now=now,
    )
    room_busy: dict[int, list[TimeRange]] = defaultdict(list)
    client_busy: dict[int, list[TimeRange]] = defaultdict(list)
    rows: list[Appointment] = []
    for (therapist_id, location_id), ranges in sorted(schedule.working.items()):
        therapist = next(t for t in therapists if t.pk == therapist_id)
        location = locations[location_id]
        menu = [
            s
            for s in services
            if offers(therapist, s) and location_offers(location, s) and not s.is_complimentary
        ]
        if not menu:
            continue
        rooms = schedule.rooms_by_location.get(location_id, [])
        for working in ranges:
            cursor = working.start + timedelta(minutes=chooser.choice(GAPS_MINUTES))
            while True:
                service = chooser.choice(menu)
                duration = chooser.choice(list(service.durations.all()))
                starts = cursor + timedelta(minutes=service.buffer_before_minutes)
                ends = starts + timedelta(minutes=duration.minutes)
                busy = TimeRange(cursor, ends + timedelta(minutes=service.buffer_after_minutes))
                if ends > working.end:
                    break
                room = next(
                    (r for r in rooms if OccupiedTimeline.of(room_busy[r]).is_free_during(busy)),
                    None,
                )
                client = chooser.choice(regulars if chooser.random() < 0.8 else clients)
                local_day = timezone.localtime(starts, practice.zone).date()
                if (
                    portal_client is not None
                    and therapist == portal_therapist
                    and not location.is_mobile
                    and local_day >= next_portal_day
                ):
                    client = portal_client
                free_client = OccupiedTimeline.of(client_busy[client.pk]).is_free_during(
                    TimeRange(starts, ends)
                )
                if (rooms and room is None) or not free_client:
                    cursor += timedelta(minutes=15)
                    continue
                if leave_free(chooser, location, starts, now):
                    cursor = quarter_hour_after(busy.end)
                    continue
                status = visit_outcome(chooser, starts, ends, now)
                if status in (
                    AppointmentStatus.BOOKED,
                    AppointmentStatus.ARRIVED,
                    AppointmentStatus.COMPLETED,
                ):
                    if room is not None:
                        room_busy[room].append(busy)
                    client_busy[client.pk].append(TimeRange(starts, ends))
                rows.append(
                    _appointment(
                        practice,
                        client,
                        therapist,
                        service,
                        duration.minutes,
                        duration.price,
                        location,
                        room,
                        starts,
                        ends,
                        busy,
                        status,
                    )
                )
                if client is portal_client:
                    next_portal_day = local_day + PORTAL_VISIT_EVERY
                cursor = quarter_hour_after(
                    busy.end
                    + timedelta(minutes=chooser.choice(GAPS_MINUTES))
                    + (DRIVE_BETWEEN_HOMES if location.is_mobile else timedelta())
                )
    return import_appointments(practice, rows, policy_accepted_by={row.client_id for row in rows})


def _appointment(
    practice: Practice,
    client: Client,
    therapist: Therapist,
    service: Service,
    minutes: int,
    price: Decimal,
    location: Location,
    room: int | None,
    starts: datetime,
    ends: datetime,
    busy: TimeRange,
    status: str,
) -> Appointment:
    cancelled = status in (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)
    home = (
        locate_postal_code(client.postal_code, location.service_areas.all())
        if location.is_mobile
        else None
    )
    return Appointment(
        practice=practice,
        client=client,
        therapist=therapist,
        service=service,
        duration_minutes=minutes,
        price=price,
        location=location,
        room_id=room,
        starts_at=starts,
        ends_at=ends,
        busy_from=busy.start,
        busy_until=busy.end,
        status=status,
        channel=BookingChannel.ONLINE,
        visit_street=client.street if location.is_mobile else "",
        visit_city=client.city if location.is_mobile else "",
        visit_postal_code=client.postal_code if location.is_mobile else "",
        visit_latitude=home.latitude if home else None,
        visit_longitude=home.longitude if home else None,
        visit_access_notes=client.home_access_notes if location.is_mobile else "",
        completed_at=ends if status == AppointmentStatus.COMPLETED else None,
        cancelled_at=starts - timedelta(days=2) if cancelled else None,
        late_cancellation_fee_due=status
        in (AppointmentStatus.LATE_CANCELLED, AppointmentStatus.NO_SHOW),
    )
