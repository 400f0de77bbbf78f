"""Repeat availability questions answered at the door (`api/remembered_answers.py`): the same
body and headers as the view, and never an answer the view would no longer give."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from unittest import mock

import pytest
from django.test import Client as WebClient

from fascia.api.tests.test_booking_api import DAY, at, bearer, booking, post
from fascia.scheduling.tests.conftest import TORONTO, ClinicWeek


def question(week: ClinicWeek) -> dict[str, str]:
    return {
        "service": str(week.service.pk),
        "start": DAY.isoformat(),
        "end": DAY.isoformat(),
        "therapist": str(week.maya.pk),
    }


def starts(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [slot["start"] for slot in response.json()["slots"]]


def view_not_reached() -> Any:
    """Fails the test if the availability view runs (the door should have answered)."""
    return mock.patch(
        "fascia.api.booking.is_booking_staff", side_effect=AssertionError("the view ran")
    )


def test_a_repeat_question_is_answered_at_the_door_exactly_as_the_view_answers(
    open_week: ClinicWeek, client: WebClient, django_assert_num_queries: Any
) -> None:
    first = client.get("/api/v1/availability", question(open_week))
    with view_not_reached(), django_assert_num_queries(1):  # the schedule stamps, nothing else
        again = client.get("/api/v1/availability", question(open_week))
    assert again.content == first.content
    assert dict(again.items()) == dict(first.items())
    assert again["X-Content-Type-Options"] == "nosniff"  # the security headers still apply


def test_the_door_forgets_an_answer_as_soon_as_the_schedule_changes(
    open_week: ClinicWeek, client: WebClient
) -> None:
    assert at(10) in starts(client.get("/api/v1/availability", question(open_week)))
    customer = open_week.cast.client_user
    assert post(bearer(customer), "/api/v1/appointments", booking(open_week)).status_code == 201
    assert at(10) not in starts(client.get("/api/v1/availability", question(open_week)))

    open_week.practice.booking_window_days = 1  # DAY is days away: now beyond clients' reach
    open_week.practice.save()
    assert starts(client.get("/api/v1/availability", question(open_week))) == []


def test_the_door_applies_the_minimum_notice_at_the_moment_of_asking(
    open_week: ClinicWeek, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_week.practice.minimum_notice_minutes = 120
    open_week.practice.save()
    moment = [datetime.combine(DAY, time(8, 0), tzinfo=TORONTO)]
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment[0])
    early = starts(client.get("/api/v1/availability", question(open_week)))
    assert at(10) in early

    moment[0] = datetime.combine(DAY, time(9, 30), tzinfo=TORONTO)  # 10:00 is now too soon
    with view_not_reached():
        later = starts(client.get("/api/v1/availability", question(open_week)))
    assert at(10) not in later and later == [s for s in early if s >= at(11, 30)]


def test_signed_in_staff_and_new_questions_go_through_the_whole_request(
    open_week: ClinicWeek, client: WebClient
) -> None:
    client.get("/api/v1/availability", question(open_week))
    open_week.practice.booking_window_days = 1
    open_week.practice.save()
    client.get("/api/v1/availability", question(open_week))  # remembered for visitors again

    with view_not_reached(), pytest.raises(AssertionError, match="the view ran"):
        bearer(open_week.cast.front_desk).get("/api/v1/availability", question(open_week))
    staff = bearer(open_week.cast.front_desk).get("/api/v1/availability", question(open_week))
    assert at(10) in starts(staff)  # staff book beyond the window visitors see

    signed_in = WebClient()
    signed_in.force_login(open_week.cast.front_desk)
    assert at(10) in starts(signed_in.get("/api/v1/availability", question(open_week)))

    backwards = question(open_week) | {"end": "2000-01-01"}
    refused = client.get("/api/v1/availability", backwards)
    assert refused.status_code == 422 and "end date" in refused.json()["detail"]
    assert client.get("/api/v1/availability", backwards).status_code == 422  # never remembered
