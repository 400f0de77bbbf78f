"""Who and what can be booked at a practice, as every availability question reads it: the
practice's settings, its services with their lengths, its therapists (and which of them may be
booked today: active, and in good standing), and its locations.

They change seldom, and any change to them replaces the practice's schedule stamp
(`remembered.py`: model signals and bulk writes, inside the writer's transaction). So each
server process reads them once per stamp and day and keeps them, and a question that is not
remembered reads only what changes from one booking to the next: appointments, holds, time off,
one-off changes, weekly hours and rooms (`schedule_rows`). The stamp is read first, so a change
committed while the set-up is being read leaves it under the older stamp, never used again.

The records kept are shared by the requests of one process: read them, never change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from fascia.practices.models import Location, Practice, Service, ServiceDuration, Therapist
from fascia.professional.standing import in_good_standing
from fascia.scheduling.remembered import practice_stamp

KEPT_PRACTICES = 256


@dataclass(frozen=True)
class PracticeSetup:
    practice: Practice
    day: date  # the practice's date the therapists' standing was checked on
    services: dict[int, Service]  # each with its lengths (`durations`) read
    therapists: dict[int, Therapist]  # active or not
    bookable: list[Therapist]  # active and in good standing on `day`, by name
    locations: list[Location]  # in the practice's order

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
    return PracticeSetup(
        practice=practice,
        day=day,
        services={service.pk: service for service in services},
        therapists={therapist.pk: therapist for therapist in therapists},
        bookable=[therapist for therapist in therapists if therapist.pk in bookable_ids],
        locations=list(Location.objects.for_practice(practice)),
    )
