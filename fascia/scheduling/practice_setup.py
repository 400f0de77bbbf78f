"""Who and what can be booked at a practice, and when, as every availability question reads
it: the practice's settings, its services with their lengths, its therapists (and which of them
may be booked today: active, and in good standing), its locations and their rooms, and its
therapists' working time (weekly hours and breaks, and the one-off changes and time off from a
week ago on).

They change seldom, and any change to them replaces the practice's schedule stamp
(`remembered.py`: model signals and bulk writes, inside the writer's transaction). So each
server process reads them once per stamp and day and keeps them, with each set of days' working
hours worked out from them as it is first asked for; a question that is not remembered reads
only what changes from one booking to the next: appointments and holds (`schedule_rows`). The
stamp is read first, so a change committed while the set-up is being read leaves it under the
older stamp, never used again.

The records kept are shared by the requests of one process: read them, never change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from fascia.practices.models import Location, Practice, Service, ServiceDuration, Therapist
from fascia.professional.standing import in_good_standing
from fascia.scheduling.remembered import practice_stamp
from fascia.scheduling.schedule_rows import WorkingTimeRows, read_rooms, read_working_time
from fascia.scheduling.timeranges import TimeRange

KEPT_PRACTICES = 256
# One-off changes and time off are kept from this many days before the set-up's day on: enough
# for every question about today onwards (which reads a day either side); older days are read.
KEPT_DAYS_BEFORE = 7
KEPT_HOURS = 64  # sets of days' working hours kept with each set-up


@dataclass(frozen=True)
class PracticeSetup:
    practice: Practice
    day: date  # the practice's date the therapists' standing was checked on
    services: dict[int, Service]  # each with its lengths (`durations`) read
    therapists: dict[int, Therapist]  # active or not
    bookable: list[Therapist]  # active and in good standing on `day`, by name
    locations: list[Location]  # in the practice's order
    rooms: dict[int, list[int]]  # each location's active rooms, in the order they are offered
    working_time: WorkingTimeRows  # every therapist's, from `working_from` on
    working_from: datetime
    # Working hours worked out from `working_time`, by the question (`schedule.load_schedule`).
    hours: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def working_time_within(
        self, therapist_ids: list[int], first_day: date, last_day: date, window: TimeRange
    ) -> WorkingTimeRows | None:
        """The working time rows for these therapists and days, if kept (None for earlier
        days)."""
        if window.start < self.working_from:
            return None
        return self.working_time.within(therapist_ids, first_day, last_day, window)

    def active_service(self, service_id: int) -> Service | None:
        service = self.services.get(service_id)
        return service if service is not None and service.is_active else None

    def location(self, location_id: int) -> Location | None:
        return next((location for location in self.locations if location.pk == location_id), None)


# Each practice's set-up as this process last read it, under the stamp it had then.
_kept: dict[int, tuple[int, PracticeSetup]] = {}


def practice_setup(practice_id: int, on: date | None = None) -> PracticeSetup:
    """The practice's set-up, with its therapists' standing on `on` (the practice's today by
    default): kept from an earlier read while the practice's stamp is unchanged, else read."""
    stamp = practice_stamp(practice_id)
    kept = _kept.get(practice_id)
    if kept is not None and stamp is not None and kept[0] == stamp:
        setup = kept[1]
        if (on or timezone.localdate(timezone=setup.practice.zone)) == setup.day:
            return setup
    setup = _read(practice_id, on)
    if stamp is not None:
        if len(_kept) >= KEPT_PRACTICES:
            _kept.clear()
        _kept[practice_id] = (stamp, setup)
    return setup


def forget_practice_setups() -> None:
    """Forget this process's set-ups (tests: the database is rolled back)."""
    _kept.clear()


def _read(practice_id: int, on: date | None) -> PracticeSetup:
    practice = Practice.objects.get(pk=practice_id)
    day = on or timezone.localdate(timezone=practice.zone)
    therapists = list(Therapist.objects.for_practice(practice))
    bookable_ids = set(
        in_good_standing(
            Therapist.objects.for_practice(practice).filter(is_active=True), day
        ).values_list("pk", flat=True)
    )
    services = Service.objects.for_practice(practice).prefetch_related(
        Prefetch("durations", queryset=ServiceDuration.objects.order_by("minutes"))
    )
    locations = list(Location.objects.for_practice(practice))
    kept_from = day - timedelta(days=KEPT_DAYS_BEFORE)
    working_from = datetime.combine(kept_from, time.min, tzinfo=practice.zone).astimezone(UTC)
    return PracticeSetup(
        practice=practice,
        day=day,
        services={service.pk: service for service in services},
        therapists={therapist.pk: therapist for therapist in therapists},
        bookable=[therapist for therapist in therapists if therapist.pk in bookable_ids],
        locations=locations,
        rooms=read_rooms([location.pk for location in locations]),
        working_time=read_working_time(
            [therapist.pk for therapist in therapists],
            kept_from,
            date.max,
            TimeRange(working_from, datetime.max.replace(tzinfo=UTC)),
        ),
        working_from=working_from,
    )
