"""The practice's set-up — settings, services, therapists and their standing, locations, and
the therapists' working time — read once per process while the practice's stamp holds, and
never used after a change to it."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fascia.practices.models import Service, Therapist
from fascia.professional.actions import add_insurance
from fascia.scheduling.models import ShiftChange, TimeOff, WeeklyShift
from fascia.scheduling.practice_setup import practice_setup
from fascia.scheduling.schedule import AvailabilityRequest, available_slots, load_schedule
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at

TODAY = date(2031, 3, 3)


def bookable(week: ClinicWeek, on: date = TODAY) -> set[str]:
    return {therapist.display_name for therapist in practice_setup(week.practice.pk, on).bookable}


def test_the_set_up_is_read_once_while_its_stamp_holds(
    week: ClinicWeek, django_assert_num_queries: Any
) -> None:
    first = practice_setup(week.practice.pk, TODAY)
    with django_assert_num_queries(1):  # the practice's stamp
        assert practice_setup(week.practice.pk, TODAY) is first
    assert set(first.services) == {week.service.pk}
    assert [d.minutes for d in first.services[week.service.pk].durations.all()] == [60]


def test_a_change_to_a_therapist_counts_at_once(week: ClinicWeek) -> None:
    assert bookable(week) == {"Maple Massage Therapist", "Dan Okafor"}
    week.dan.is_active = False
    week.dan.save()
    assert bookable(week) == {"Maple Massage Therapist"}
    Therapist.objects.filter(pk=week.dan.pk).update(is_active=True)  # a bulk write too
    assert bookable(week) == {"Maple Massage Therapist", "Dan Okafor"}


def test_standing_is_checked_again_each_day(week: ClinicWeek) -> None:
    add_insurance(
        week.dan,
        insurer="Lloyd's",
        policy_number="P-1",
        coverage=Decimal("2000000"),
        starts_on=TODAY - timedelta(days=365),
        expires_on=TODAY,
    )
    assert "Dan Okafor" in bookable(week, TODAY)
    assert "Dan Okafor" not in bookable(week, TODAY + timedelta(days=1))  # it has lapsed


def test_a_change_rolled_back_is_never_seen(week: ClinicWeek) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        Service.objects.filter(pk=week.service.pk).update(is_active=False)
        assert practice_setup(week.practice.pk, TODAY).active_service(week.service.pk) is None
        raise RuntimeError("roll back")
    assert practice_setup(week.practice.pk, TODAY).active_service(week.service.pk) is not None


def test_a_service_taken_off_is_no_longer_offered(week: ClinicWeek) -> None:
    request = AvailabilityRequest(
        service=week.service, minutes=60, first_day=MONDAY, last_day=MONDAY
    )
    assert available_slots(week.practice, request, now=NOW)
    week.maya.modalities = []
    week.maya.save()
    week.dan.modalities = []
    week.dan.save()
    assert not available_slots(week.practice, request, now=NOW)


def mayas_monday(week: ClinicWeek) -> list[int]:
    """Maya's Monday start hours (local), worked out afresh (nothing remembered)."""
    request = AvailabilityRequest(
        service=week.service, minutes=60, first_day=MONDAY, last_day=MONDAY, therapist=week.maya
    )
    slots = available_slots(week.practice, request, now=NOW)
    return sorted({slot.start.astimezone(week.practice.zone).hour for slot in slots})


def test_working_time_is_kept_with_the_set_up_and_every_change_to_it_counts(
    week: ClinicWeek, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert mayas_monday(week) == [9, 10, 11, 12, 13, 14, 15, 16]
    with django_assert_num_queries(3):  # the practice's stamp twice; appointments and holds
        mayas_monday(week)
    TimeOff.objects.create(
        practice=week.practice, therapist=week.maya, starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 12)
    )
    assert mayas_monday(week) == [12, 13, 14, 15, 16]
    # A bulk update, as the admin or a script would make it.
    WeeklyShift.objects.filter(therapist=week.maya, weekday=0).update(ends_at=time(15))
    assert mayas_monday(week) == [12, 13, 14]
    ShiftChange.objects.create(practice=week.practice, therapist=week.maya, date=MONDAY)
    assert mayas_monday(week) == []  # a day off


def test_working_time_before_the_kept_days_is_read_from_the_database(week: ClinicWeek) -> None:
    """The set-up keeps changes and time off from a week before today on; a look further back
    (last month's figures) reads them."""
    today = timezone.localdate(timezone=week.practice.zone)
    first = today - timedelta(days=35)
    last = first + timedelta(days=6)
    practice_setup(week.practice.pk)  # kept already
    ShiftChange.objects.create(practice=week.practice, therapist=week.maya, date=first)
    with CaptureQueriesContext(connection) as queries:
        schedule = load_schedule(
            week.practice,
            therapists=[week.maya],
            locations=[week.clinic],
            first_day=first,
            last_day=last,
        )
    assert any("scheduling_weeklyshift" in query["sql"] for query in queries.captured_queries)
    worked = {
        stretch.start.astimezone(week.practice.zone).date()
        for stretch in schedule.working[(week.maya.pk, week.clinic.pk)]
    }
    weekdays = {
        first + timedelta(days=n) for n in range(7) if (first + timedelta(days=n)).weekday() < 5
    }
    assert worked == weekdays - {first}  # the day off counted
