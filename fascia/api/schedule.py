"""The staff schedule board over the API: columns (therapists or rooms), working time, the
shaded time nobody may be booked in, and each visit with its icons."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from fascia.accounts.access import ANY_STAFF, PUBLIC
from fascia.accounts.models import Role
from fascia.accounts.practice_context import PracticeRequest
from fascia.api.booking import ERRORS, MAX_RANGE_DAYS, appointment_out, home_postal_code
from fascia.api.lookups import is_booking_staff, one_of, require
from fascia.api.schemas import QuoteOut, ScheduleOut
from fascia.audit.log import record_search
from fascia.billing.money import ZERO
from fascia.billing.quotes import quote_visit
from fascia.practices.models import Location, Service, Therapist
from fascia.scheduling.choices import sole_location
from fascia.scheduling.geography import describe_days, locate_visit
from fascia.scheduling.schedule import duration_for
from fascia.scheduling.travel import travel_fee
from fascia.staff import board
from fascia.validation import Day, Integer, Text

router = Router(tags=["booking"])


@router.get("/schedule", response={200: ScheduleOut, **ERRORS}, auth=ANY_STAFF.api())
def schedule(
    request: PracticeRequest,
    start: Day,
    end: Day,
    therapist: Integer | None = None,
    location: Integer | None = None,
    columns: Text = "therapists",
) -> Any:
    """The days `start` to `end` (inclusive) of the practice's schedule, a column per
    therapist (`columns=therapists`) or per room (`columns=rooms`)."""
    practice = request.practice
    require(
        end >= start and (end - start).days <= MAX_RANGE_DAYS,
        422,
        f"Give an end on or after the start, at most {MAX_RANGE_DAYS} days later.",
    )
    require(
        columns in ("therapists", "rooms"),
        422,
        _("Give columns=therapists or columns=rooms."),
    )
    therapists = list(Therapist.objects.for_practice(practice).filter(is_active=True))
    if therapist is not None:
        therapists = [t for t in therapists if t.pk == therapist]
    visits = list(
        board.schedule_visits(practice, start, end, therapist_id=therapist, location_id=location)
    )
    now = timezone.now()
    booking_staff = is_booking_staff(request, practice)
    flags = board.visit_flags(visits, now=now, clinical=request.staff_role != Role.BOOKKEEPER)
    record_search(
        request,
        practice,
        record_type="scheduling.appointment",
        detail=f"schedule {start}..{end}",
    )
    by_room = columns == "rooms"
    stretches = board.working_time(practice, therapists, start, end)
    off = board.off_hours(practice, [t.pk for t in therapists], stretches, start, end)
    zone = practice.zone
    return {
        "columns": board.room_columns(practice)
        if by_room
        else [{"id": str(t.pk), "title": t.display_name} for t in therapists],
        "working": []
        if by_room
        else [
            {
                "column": str(s.therapist_id),
                "start": s.start.astimezone(zone),
                "end": s.end.astimezone(zone),
                "location": s.location_id,
            }
            for s in stretches
        ],
        "off_hours": []
        if by_room
        else [
            {"column": str(tid), "start": r.start.astimezone(zone), "end": r.end.astimezone(zone)}
            for tid, ranges in off.items()
            for r in ranges
        ],
        "visits": [
            {
                **appointment_out(visit, with_address=booking_staff),
                "column": board.room_column_of(visit) if by_room else str(visit.therapist_id),
                "location_name": visit.location.name,
                "room_name": visit.room.name if visit.room else "",
                "flags": flags[visit.pk],
            }
            for visit in visits
        ],
    }


@router.get("/quote", response={200: QuoteOut, **ERRORS}, auth=PUBLIC.api())
def quote(
    request: PracticeRequest,
    service: Integer,
    minutes: Integer | None = None,
    location: Integer | None = None,
    postal_code: Text | None = None,
    address: Text | None = None,
) -> Any:
    """What a visit costs before it is booked: price, travel fee to a home (from its postal
    code or address), the tax on each and the total — as its invoice will add up."""
    found = Service.objects.filter(pk=service, is_active=True).select_related("practice").first()
    require(found is not None, 422, f"Unknown service {service}.")
    assert found is not None
    practice = found.practice
    duration = duration_for(found, minutes)
    require(
        duration is not None,
        422,
        f"Give minutes: one of {[d.minutes for d in found.durations.all()]}.",
    )
    assert duration is not None
    code = home_postal_code(postal_code, address)
    fee = None
    area = None
    if code is not None:
        place = (
            one_of(Location, practice, location, "location")
            if location is not None
            else sole_location(practice, found, in_home=True)
        )
        require(
            place is not None and place.is_mobile, 422, _("This service is not offered at home.")
        )
        assert place is not None
        visit = locate_visit(place, code)
        fee = travel_fee(place, visit.point)
        area = {"name": visit.area.name, "days_served": describe_days(visit.area)}
    cost = quote_visit(practice, found, duration.price, travel_fee=fee.amount if fee else ZERO)
    return {
        "price": cost.price,
        "travel_fee": cost.travel_fee,
        "tax_name": cost.tax_name,
        "tax_rate": cost.tax_rate,
        "tax": cost.tax,
        "total": cost.total,
        "area": area["name"] if area else None,
        "days_served": area["days_served"] if area else None,
    }
