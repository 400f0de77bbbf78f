"""The practice's set-up — settings, services, therapists and their standing, locations — read
once per process while the practice's stamp holds, and never used after a change to it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from fascia.practices.models import Service, Therapist
from fascia.professional.actions import add_insurance
from fascia.scheduling.practice_setup import practice_setup
from fascia.scheduling.schedule import AvailabilityRequest, available_slots
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek

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
