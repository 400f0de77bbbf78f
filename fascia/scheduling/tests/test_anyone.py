""" "Anyone": for a home visit, the free therapist whose day grows least in driving (the drive
to the home and on to the next commitment, less the leg it replaces), then the lighter day; for
a clinic visit, the client's usual therapist when free, otherwise the lighter day — never the
first by name for its own sake. The public pages and the API ask the same function."""

from __future__ import annotations

import json
from contextlib import suppress
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client as WebClient
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fascia.accounts.tokens import issue_token
from fascia.clients.actions import register_client
from fascia.scheduling.availability import Place
from fascia.scheduling.booking import BookingError, book_appointment
from fascia.scheduling.choices import anyone_by_start
from fascia.scheduling.geography import locate_visit
from fascia.scheduling.models import Appointment, WeeklyShift
from fascia.scheduling.schedule import AvailabilityRequest, available_slots
from fascia.scheduling.tests.conftest import MONDAY, NOW, MobileWeek, at
from fascia.scheduling.travel import TravelTimes

TUESDAY = MONDAY + timedelta(days=1)
HOMES = {"Toronto": "M5V 3L9", "Guelph": "N1G 2W1", "Mississauga": "L5B 4M7", "Brampton": "L6Y 2B2"}


@pytest.fixture
def two_on_the_road(mobile_week: MobileWeek) -> MobileWeek:
    """Dan visits homes too, from Brampton; his name now sorts before Maya's."""
    dan = mobile_week.week.dan
    dan.home_postal_code = "L6Y 0B3"
    dan.display_name = "Aaron Dan"
    dan.save()
    WeeklyShift.objects.filter(therapist=dan).update(location=mobile_week.mobile)
    return mobile_week


def _book_home(mobile_week: MobileWeek, therapist: Any, hour: int, town: str, n: int) -> Any:
    week = mobile_week.week
    client = register_client(
        week.practice,
        by=None,
        legal_first_name=f"Home{n}",
        legal_last_name=town,
        email=f"home{n}.{town.lower()}@example.com",
    )
    return book_appointment(
        week.practice,
        week.request(
            at(TUESDAY, hour),
            client=client,
            therapist=therapist,
            location=mobile_week.mobile,
            address=mobile_week.home(HOMES[town]),
            as_staff=True,
        ),
        now=NOW,
    ).appointment


def _home(mobile_week: MobileWeek, town: str) -> Place:
    return locate_visit(mobile_week.mobile, HOMES[town]).place(mobile_week.mobile.pk)


def _free_at(mobile_week: MobileWeek, town: str, hour: int) -> list[Any]:
    """The slots that start at `hour` on Tuesday for a visit to a home in `town`."""
    week = mobile_week.week
    slots = available_slots(
        week.practice,
        AvailabilityRequest(
            service=week.service,
            minutes=60,
            first_day=TUESDAY,
            last_day=TUESDAY,
            location=mobile_week.mobile,
            place=_home(mobile_week, town),
            as_staff=True,
        ),
        now=NOW,
    )
    return [slot for slot in slots if slot.start == at(TUESDAY, hour)]


def _choice(mobile_week: MobileWeek, town: str, hour: int) -> int | None:
    slots = _free_at(mobile_week, town, hour)
    home = _home(mobile_week, town)
    return anyone_by_start(mobile_week.practice, slots, place=home).get(at(TUESDAY, hour))


def test_a_home_visit_goes_to_the_therapist_already_working_nearby(
    two_on_the_road: MobileWeek,
) -> None:
    week = two_on_the_road.week
    _book_home(two_on_the_road, week.maya, 11, "Toronto", 1)
    _book_home(two_on_the_road, week.dan, 11, "Guelph", 2)
    # At 2 pm both are free for either home (their morning visits end at noon). Aaron Dan is
    # first by name; the Toronto client goes to Maya, whose morning was in Toronto, and the
    # Guelph client to Dan.
    for town in ("Toronto", "Guelph"):
        free = {slot.therapist_id for slot in _free_at(two_on_the_road, town, 14)}
        assert free == {week.maya.pk, week.dan.pk}
    assert _choice(two_on_the_road, "Toronto", 14) == week.maya.pk
    assert _choice(two_on_the_road, "Guelph", 14) == week.dan.pk


def test_the_api_books_anyone_by_least_added_driving(
    two_on_the_road: MobileWeek, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # the week is in the future
    week = two_on_the_road.week
    _book_home(two_on_the_road, week.maya, 11, "Toronto", 1)
    _book_home(two_on_the_road, week.dan, 11, "Guelph", 2)
    web = WebClient(HTTP_AUTHORIZATION=f"Bearer {issue_token(week.cast.front_desk)}")
    body = {
        "service": week.service.pk,
        "client": week.client.pk,
        "start": at(TUESDAY, 14).isoformat(),
        "minutes": 60,
        "location": two_on_the_road.mobile.pk,
        "address": {"street": "1 King St W", "city": "Toronto", "postal_code": HOMES["Toronto"]},
        "accepts_cancellation_policy": True,
    }
    made = web.post("/api/v1/appointments", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.json()
    assert made.json()["therapist"] == week.maya.pk


def test_a_clinic_visit_goes_to_the_clients_usual_therapist_then_the_lighter_day(
    mobile_week: MobileWeek,
) -> None:
    week = mobile_week.week
    # The clinic week: Maya and Dan both at the clinic; the client has seen Dan twice.
    WeeklyShift.objects.filter(therapist=week.maya).update(location=week.clinic)
    for day in (0, 1):
        book_appointment(
            week.practice,
            week.request(at(MONDAY + timedelta(days=day), 9), therapist=week.dan, as_staff=True),
            now=NOW,
        )
    request = AvailabilityRequest(
        service=week.service,
        minutes=60,
        first_day=TUESDAY + timedelta(days=1),
        last_day=TUESDAY + timedelta(days=1),
        location=week.clinic,
    )
    start = at(TUESDAY + timedelta(days=1), 14)
    slots = [s for s in available_slots(week.practice, request, now=NOW) if s.start == start]
    assert {s.therapist_id for s in slots} == {week.maya.pk, week.dan.pk}
    assert anyone_by_start(week.practice, slots, client=week.client)[start] == week.dan.pk
    # Someone new: the lighter day (Dan has a visit that Wednesday; Maya none).
    book_appointment(
        week.practice,
        week.request(
            at(TUESDAY + timedelta(days=1), 9),
            client=week.other_client,
            therapist=week.dan,
            as_staff=True,
        ),
        now=NOW,
    )
    newcomer = register_client(
        week.practice, by=None, legal_first_name="New", legal_last_name="Client"
    )
    slots = [s for s in available_slots(week.practice, request, now=NOW) if s.start == start]
    assert anyone_by_start(week.practice, slots, client=newcomer)[start] == week.maya.pk
    # One who prefers a man is booked with Dan, though Maya's day is lighter.
    week.maya.gender, week.dan.gender = "woman", "man"
    week.maya.save()
    week.dan.save()
    newcomer.prefers_therapist_gender = "man"
    newcomer.save()
    assert anyone_by_start(week.practice, slots, client=newcomer)[start] == week.dan.pk


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    maya_day=st.lists(
        st.tuples(st.sampled_from([9, 11, 15]), st.sampled_from(list(HOMES))), max_size=2
    ),
    dan_day=st.lists(
        st.tuples(st.sampled_from([9, 11, 15]), st.sampled_from(list(HOMES))), max_size=2
    ),
    town=st.sampled_from(list(HOMES)),
    hour=st.sampled_from([13, 14]),
)
# A day where choosing by name would add more driving than choosing the nearer therapist.
@example(maya_day=[(11, "Toronto")], dan_day=[(11, "Guelph")], town="Toronto", hour=14)
def test_anyone_never_picks_a_therapist_who_adds_more_driving_than_another_free_one(
    two_on_the_road: MobileWeek, maya_day: list[Any], dan_day: list[Any], town: str, hour: int
) -> None:
    week = two_on_the_road.week
    with transaction.atomic():  # each example starts from the empty day
        for therapist, day in ((week.maya, maya_day), (week.dan, dan_day)):
            for n, (visit_hour, visit_town) in enumerate(day):
                with suppress(BookingError):  # the drive does not fit: the day is what was booked
                    _book_home(two_on_the_road, therapist, visit_hour, visit_town, n)
        chosen = _choice(two_on_the_road, town, hour)
        if chosen is None:
            transaction.set_rollback(True)
            return
        home = _home(two_on_the_road, town)
        travel = TravelTimes()
        start, end = at(TUESDAY, hour), at(TUESDAY, hour + 1)

        def added(therapist: Any) -> timedelta:
            """Worked out here from the visits themselves, not by the function under test."""
            base = _home(two_on_the_road, "Brampton")
            base = Place(base.location_id, base.latitude, base.longitude, "L6Y 0B3", base.area_id)
            visits = list(Appointment.objects.filter(therapist=therapist).order_by("starts_at"))
            before = [v for v in visits if v.busy_until <= start]
            after = [v for v in visits if v.busy_from >= end]

            def place(visit: Any) -> Place:
                return Place(
                    visit.location_id,
                    visit.visit_latitude,
                    visit.visit_longitude,
                    visit.visit_postal_code,
                )

            previous = place(before[-1]) if before else base
            following = place(after[0]) if after else base
            return travel(previous, home) + travel(home, following) - travel(previous, following)

        free = {slot.therapist_id for slot in _free_at(two_on_the_road, town, hour)}
        by_pk = {week.maya.pk: week.maya, week.dan.pk: week.dan}
        assert all(added(by_pk[chosen]) <= added(by_pk[other]) for other in free)
        transaction.set_rollback(True)
