"""What Fascia decides when the person booking leaves it open: which therapist "anyone" is, and
which location a booking that names none is at. The public booking pages and the API ask these
functions, so the same question always gets the same answer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from fascia.practices.models import Location, Practice, Service, Therapist
from fascia.scheduling.availability import Slot
from fascia.scheduling.schedule import AvailabilityRequest, candidates


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


def anyone_by_start(slots: Iterable[Slot]) -> dict[datetime, int]:
    """ "Anyone": for each start, the therapist booked when the client lets Fascia choose — of
    those free then, the first by name (then by id, for two of the same name)."""
    free: dict[datetime, set[int]] = {}
    for slot in slots:
        free.setdefault(slot.start, set()).add(slot.therapist_id)
    ids = {therapist_id for therapists in free.values() for therapist_id in therapists}
    order = {
        pk: position
        for position, pk in enumerate(
            Therapist.objects.filter(pk__in=ids)
            .order_by("display_name", "pk")
            .values_list("pk", flat=True)
        )
    }
    return {start: min(therapists, key=order.__getitem__) for start, therapists in free.items()}
