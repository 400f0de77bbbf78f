"""Whether clients can book a practice online, and if not, why: at least one service offered
online with a length, and a practising therapist with weekly hours at an open location where
that service is given. The booking pages, the owner's set-up checklist and "Open online
booking" all ask here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.practices.models import Practice, Service, ServiceDuration, Therapist
from fascia.professional.standing import in_good_standing
from fascia.scheduling.models import WeeklyShift
from fascia.scheduling.schedule import location_offers, offers


@dataclass(frozen=True)
class BookingReadiness:
    """`missing` says, in the owner's words, what stops clients booking online."""

    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def booking_readiness(practice: Practice) -> BookingReadiness:
    services = list(
        Service.objects.for_practice(practice).filter(
            is_active=True,
            bookable_online=True,
            pk__in=ServiceDuration.objects.for_practice(practice).values("service_id"),
        )
    )
    bookable_therapists = [
        therapist
        for therapist in in_good_standing(
            Therapist.objects.for_practice(practice).filter(is_active=True),
            timezone.localdate(timezone=practice.zone),
        )
        if therapist.may_treat
    ]
    shifts = list(
        WeeklyShift.objects.for_practice(practice)
        .filter(therapist__in=bookable_therapists, location__is_active=True)
        .select_related("location", "therapist")
    )
    missing: list[str] = []
    if not services:
        missing.append(_("Add a service clients can book online, with its length and price."))
    if not bookable_therapists:
        missing.append(
            _("Add a practising therapist (a general certificate and a registration number).")
        )
    elif not shifts:
        missing.append(_("Give a therapist weekly hours at one of the practice's locations."))
    if services and shifts:
        served = {
            shift.location.pk
            for shift in shifts
            if not shift.location.is_mobile or shift.location.service_areas.exists()
        }
        where = [
            service
            for service in services
            if any(
                location_offers(shift.location, service) and shift.location.pk in served
                for shift in shifts
            )
        ]
        if not where:
            missing.append(
                _(
                    "No service is offered where a therapist works: offer one in the clinic, or "
                    "give the mobile location a service area."
                )
            )
        elif not any(
            offers(shift.therapist, service) and location_offers(shift.location, service)
            for service in where
            for shift in shifts
        ):
            missing.append(
                _(
                    "No therapist with weekly hours offers a bookable service: tick the "
                    "techniques each therapist offers on their weekly-hours page."
                )
            )
    return BookingReadiness(missing)


def accepts_online_bookings(practice: Practice) -> bool:
    return practice.booking_open and booking_readiness(practice).ready


def open_online_booking(practice: Practice, *, open_: bool = True) -> Practice:
    """Open (or close) the practice's booking pages; opening needs the checklist done."""
    if open_:
        readiness = booking_readiness(practice)
        if not readiness.ready:
            raise ValidationError(readiness.missing)
    with transaction.atomic():
        practice.booking_open = open_
        practice.save(update_fields=["booking_open"])
    return practice
