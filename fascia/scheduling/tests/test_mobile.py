"""In-home visits: only slots the therapist can really reach, counting the drive from the
previous visit (or their start point), to the next (or home), set-up and packing; service areas
by weekday and date; traffic windows; travel fees."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fascia.practices.models import Location, ServiceAreaDay
from fascia.scheduling.booking import BookingError, SlotUnavailable, book_appointment
from fascia.scheduling.errors import NotServed
from fascia.scheduling.geography import locate_visit
from fascia.scheduling.models import Appointment, TrafficWindow, WeeklyShift
from fascia.scheduling.moves import reschedule_appointment
from fascia.scheduling.schedule import AvailabilityRequest, available_slots
from fascia.scheduling.tests.conftest import MONDAY, NOW, TORONTO, MobileWeek, at
from fascia.scheduling.travel import fee_for_distance

TUESDAY = MONDAY + timedelta(days=1)


def book_home(mobile_week: MobileWeek, start: Any, postal_code: str, **changes: Any) -> Any:
    week = mobile_week.week
    request = week.request(
        start, location=mobile_week.mobile, address=mobile_week.home(postal_code), **changes
    )
    return book_appointment(week.practice, request, now=NOW)


def home_starts(mobile_week: MobileWeek, day: date, postal_code: str) -> list[str]:
    visit = locate_visit(mobile_week.mobile, postal_code)
    slots = available_slots(
        mobile_week.practice,
        AvailabilityRequest(
            service=mobile_week.week.service,
            minutes=60,
            first_day=day,
            last_day=day,
            therapist=mobile_week.week.maya,
            location=mobile_week.mobile,
            place=visit.place(mobile_week.mobile.pk),
        ),
        now=NOW,
    )
    return [f"{slot.start.astimezone(TORONTO):%H:%M}" for slot in slots]


def test_a_guelph_visit_keeps_downtown_toronto_out_of_reach_until_the_drive_is_done(
    mobile_week: MobileWeek,
) -> None:
    """Guelph 10:00-11:00, ten minutes' packing, about 72 minutes on the road, five minutes'
    set-up: downtown Toronto can start at 12:30 at the earliest, not at 11:00."""
    book_home(mobile_week, at(TUESDAY, 10), "N1G 2W1")
    starts = home_starts(mobile_week, TUESDAY, "M5V 3L9")
    assert "11:00" not in starts
    assert "12:15" not in starts
    assert "12:30" in starts
    # And before it: Toronto must leave time to drive to Guelph for 10:00 (set-up included).
    assert "08:45" not in starts and "09:00" not in starts  # Maya sets out from home at 9
    with pytest.raises(SlotUnavailable, match="no longer available"):
        book_home(mobile_week, at(TUESDAY, 11), "M5V 3L9", client=mobile_week.week.other_client)
    appointment = book_home(
        mobile_week, at(TUESDAY, 12, 30), "M5V 3L9", client=mobile_week.week.other_client
    ).appointment
    assert appointment.visit_postal_code == "M5V 3L9"
    assert appointment.visit_latitude == pytest.approx(43.6532)


def test_the_day_starts_and_ends_at_the_therapists_start_point(mobile_week: MobileWeek) -> None:
    """Maya leaves Brampton at 9:00 and must be home by 17:00: Toronto (40 minutes away) can
    start at 9:45 (9:40 arrival plus set-up) and must end by 16:10 (packing and the drive)."""
    starts = home_starts(mobile_week, TUESDAY, "M5V 3L9")
    assert starts[0] == "09:45"
    assert starts[-1] == "15:00"
    # A client near her start point can be seen right away.
    # Same area centroid as her start point: parking (5 min) and set-up (5 min).
    assert home_starts(mobile_week, TUESDAY, "L6Y 0B3")[0] == "09:15"


def test_a_mixed_day_counts_the_drive_from_the_clinic_to_the_first_home(
    mobile_week: MobileWeek,
) -> None:
    """Clinic in the morning, homes in the afternoon: the first home visit starts once the
    therapist has driven from the clinic, not at the shift's start."""
    week = mobile_week.week
    WeeklyShift.objects.filter(therapist=week.maya, weekday=0).delete()
    for location, begins, finishes in ((week.clinic, 9, 12), (mobile_week.mobile, 12, 17)):
        WeeklyShift.objects.create(
            practice=week.practice,
            therapist=week.maya,
            location=location,
            weekday=0,
            starts_at=time(begins),
            ends_at=time(finishes),
        )
    starts = home_starts(mobile_week, MONDAY, "N1G 2W1")  # Guelph, 50 min from the clinic
    assert starts[0] == "13:00"  # 12:00 + 50 min + 5 min set-up = 12:55
    # The clinic's own slots are not pushed back by the afternoon's travel.
    clinic_slots = available_slots(
        week.practice,
        AvailabilityRequest(
            service=week.service,
            minutes=60,
            first_day=MONDAY,
            last_day=MONDAY,
            therapist=week.maya,
            location=week.clinic,
        ),
        now=NOW,
    )
    assert [f"{s.start.astimezone(TORONTO):%H:%M}" for s in clinic_slots][-1] == "11:00"
    # After a home visit, the next one at the same address needs only packing and set-up.
    book_home(mobile_week, at(MONDAY, 13), "N1G 2W1")
    assert home_starts(mobile_week, MONDAY, "N1G 2W1")[0] == "14:15"


def test_service_areas_by_weekday_and_date(mobile_week: MobileWeek) -> None:
    guelph = mobile_week.areas["Guelph"]
    guelph.weekdays = [1]  # Tuesdays
    guelph.save()
    week_slots = available_slots(
        mobile_week.practice,
        AvailabilityRequest(
            service=mobile_week.week.service,
            minutes=60,
            first_day=MONDAY,
            last_day=MONDAY + timedelta(days=4),
            location=mobile_week.mobile,
            place=locate_visit(mobile_week.mobile, "N1G 2W1").place(mobile_week.mobile.pk),
        ),
        now=NOW,
    )
    assert {s.start.astimezone(TORONTO).date() for s in week_slots} == {TUESDAY}
    thursday = MONDAY + timedelta(days=3)
    with pytest.raises(SlotUnavailable, match="Home visits in Guelph are on Tuesdays"):
        book_home(mobile_week, at(thursday, 11), "N1G 2W1")
    ServiceAreaDay.objects.create(
        practice=mobile_week.practice, area=guelph, date=thursday, served=True
    )
    assert home_starts(mobile_week, thursday, "N1G 2W1")
    assert book_home(mobile_week, at(thursday, 11), "N1G 2W1").created
    ServiceAreaDay.objects.create(
        practice=mobile_week.practice, area=guelph, date=TUESDAY, served=False
    )
    assert home_starts(mobile_week, TUESDAY, "N1G 2W1") == []
    # Toronto, which has no weekdays set, is visited every working day.
    assert home_starts(mobile_week, TUESDAY, "M5V 3L9")


def test_no_in_home_starts_in_a_traffic_window(mobile_week: MobileWeek) -> None:
    TrafficWindow.objects.create(
        practice=mobile_week.practice,
        location=mobile_week.mobile,
        weekdays=[0, 1, 2, 3, 4],
        starts_at=time(15),
        ends_at=time(18),
    )
    starts = home_starts(mobile_week, TUESDAY, "L6Y 0B3")
    assert "14:45" in starts
    assert not [start for start in starts if "15:00" <= start < "18:00"]
    with pytest.raises(SlotUnavailable, match="do not start between 15:00 and 18:00"):
        book_home(mobile_week, at(TUESDAY, 15, 15), "L6Y 0B3")


def test_addresses_outside_every_area_are_refused_with_the_areas_served(
    mobile_week: MobileWeek,
) -> None:
    with pytest.raises(NotServed, match="Enter a Canadian postal code"):
        locate_visit(mobile_week.mobile, "12345")
    with pytest.raises(
        NotServed,
        match=r"We don't visit K1A 0B1 yet\. Home visits cover: Brampton, Guelph, Mississauga, "
        r"Toronto\.",
    ):
        locate_visit(mobile_week.mobile, "k1a0b1")
    with pytest.raises(BookingError, match="street address and postal code"):
        book_home(mobile_week, at(TUESDAY, 10), "")
    with pytest.raises(NotServed):
        book_home(mobile_week, at(TUESDAY, 10), "K1A 0B1")
    assert not Appointment.objects.exists()


def test_the_travel_fee_is_quoted_and_kept_with_the_appointment(mobile_week: MobileWeek) -> None:
    mobile = mobile_week.mobile
    mobile.travel_base_fee = Decimal("15.00")
    mobile.travel_free_km = Decimal("20")
    mobile.travel_fee_per_km = Decimal("0.75")
    mobile.save()
    near = book_home(mobile_week, at(TUESDAY, 10), "L6Y 0B3").appointment
    assert near.travel_fee == Decimal("15.00")  # inside the free radius
    far = book_home(
        mobile_week, at(TUESDAY, 13), "M5V 3L9", client=mobile_week.week.other_client
    ).appointment
    assert far.travel_km == Decimal("41.2")
    assert far.travel_fee == Decimal("15.00") + (Decimal("41.2") - 20) * Decimal("0.75")


@given(
    base=st.decimals(0, 100, places=2),
    free=st.decimals(0, 50, places=1),
    rate=st.decimals(0, 5, places=2),
    near=st.decimals(0, 200, places=1),
    extra=st.decimals(0, 200, places=1),
)
def test_travel_fees_never_fall_as_distance_grows(
    base: Decimal, free: Decimal, rate: Decimal, near: Decimal, extra: Decimal
) -> None:
    location = Location(travel_base_fee=base, travel_free_km=free, travel_fee_per_km=rate)
    closer, farther = fee_for_distance(location, near), fee_for_distance(location, near + extra)
    assert base <= closer <= farther
    assert closer == closer.quantize(Decimal("0.01"))
    assert fee_for_distance(location, None) == base
    if near <= free:
        assert closer == base


def test_moving_a_home_visit_keeps_the_travel_rules(mobile_week: MobileWeek) -> None:
    guelph = mobile_week.areas["Guelph"]
    guelph.weekdays = [1]
    guelph.save()
    appointment = book_home(mobile_week, at(TUESDAY, 10), "N1G 2W1").appointment
    with pytest.raises(SlotUnavailable, match="Guelph are on Tuesdays"):
        reschedule_appointment(
            appointment, start=at(MONDAY + timedelta(days=2), 10), as_staff=True, now=NOW
        )
    moved = reschedule_appointment(appointment, start=at(TUESDAY, 13), as_staff=True, now=NOW)
    assert moved.appointment.starts_at == at(TUESDAY, 13)
