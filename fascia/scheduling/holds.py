"""Slot holds: a time kept aside for a few minutes while a client completes booking."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from fascia.practices.models import (
    Location,
    Practice,
    Service,
    Therapist,
)
from fascia.scheduling.availability import Place, TravelTime
from fascia.scheduling.booking import check_offer_and_time, find_fit, lock_for_booking
from fascia.scheduling.errors import TooManyHolds
from fascia.scheduling.models import (
    SlotHold,
)
from fascia.scheduling.schedule import (
    visit_place,
    visit_shape,
)
from fascia.scheduling.travel import TravelTimes

# Live holds one address may keep at once (a household or a clinic's front desk behind one
# address books a few at a time; a crawler holding a week of times does not get far).
HOLDS_PER_ADDRESS = 5


def holder_digest(kind: str, key: object) -> str:
    """Who a hold is for, kept as a digest: a browser session's key is a secret."""
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()


def hold_slot(
    practice: Practice,
    *,
    service: Service,
    minutes: int | None,
    therapist: Therapist,
    location: Location,
    start: datetime,
    home: Place | None = None,
    holder: str = "",
    address: str | None = None,
    as_staff: bool = False,
    travel: TravelTime | None = None,
    hold_minutes: int | None = None,
    now: datetime | None = None,
) -> SlotHold:
    """Keep a time aside (for `practice.slot_hold_minutes` unless told otherwise) while a
    client completes booking. The time must be one that could be booked now (the same checks
    as booking). One live hold per `holder` (a browser session or a person): a new one releases
    the old; and at most HOLDS_PER_ADDRESS live holds from one network `address`."""
    now = now or timezone.now()
    duration = check_offer_and_time(
        practice,
        service=service,
        therapist=therapist,
        location=location,
        start=start,
        minutes=minutes,
        as_staff=as_staff,
        now=now,
    )
    place = visit_place(location, home)
    with transaction.atomic():
        lock_for_booking([location], [therapist])
        if holder:
            SlotHold.objects.filter(practice=practice, holder=holder).delete()
        if address and not as_staff:
            live = SlotHold.objects.filter(requested_from=address, expires_at__gt=now).count()
            if live >= HOLDS_PER_ADDRESS:
                raise TooManyHolds(
                    gettext(
                        "Too many times are being held from your network; finish a booking or "
                        "wait a few minutes."
                    )
                )
        slot = find_fit(
            practice,
            therapist=therapist,
            location=location,
            start=start,
            service=service,
            minutes=duration.minutes,
            place=place,
            travel=travel or TravelTimes(),
            now=now,
        )
        _, busy = visit_shape(service, duration.minutes).at(slot.start)
        return SlotHold.objects.create(
            visit_postal_code=place.postal_code,
            visit_latitude=place.latitude if place.is_home else None,
            visit_longitude=place.longitude if place.is_home else None,
            practice=practice,
            token=secrets.token_urlsafe(24),
            holder=holder,
            requested_from=address,
            therapist=therapist,
            location=location,
            room_id=slot.room_id,
            busy_from=busy.start,
            busy_until=busy.end,
            expires_at=now + timedelta(minutes=hold_minutes or practice.slot_hold_minutes),
        )


def release_expired_holds(now: datetime | None = None) -> int:
    """Remove holds whose time is up (they already stopped counting when they expired)."""
    deleted, _ = SlotHold.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
