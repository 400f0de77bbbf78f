"""The booking pages and the API answer an open question the same way: for the same service
and start, "anyone" is the same therapist and the unnamed location the same place."""

from __future__ import annotations

import json
import re
from datetime import datetime, time

from django.db import transaction
from django.test import Client as WebClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fascia.accounts.tokens import issue_token
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.remembered import schedule_changed
from fascia.scheduling.tests.conftest import SOON as DAY
from fascia.scheduling.tests.conftest import TORONTO, ClinicWeek

HOURS = [9, 10, 11, 12, 13, 14, 15]
NAMES = st.sampled_from(["Ada Ng", "Ben Roy", "Cleo Park", "ada ng", "Zoë Tan"])


def _public_choice(web: WebClient, week: ClinicWeek, start: datetime) -> tuple[int, int] | None:
    """The location the pages settle on, and the therapist behind the time's button."""
    step = web.get(
        f"/book/maple/location/?service={week.service.pk}&minutes=60&therapist=any", follow=True
    )
    location = re.search(r"location=(\d+)", step.redirect_chain[-1][0])
    assert location is not None
    page = web.get(step.redirect_chain[-1][0] + f"&week={DAY.isoformat()}").content.decode()
    button = re.search(rf'value="{re.escape(start.isoformat())}\|(\d+)"', page)
    return (int(button.group(1)), int(location.group(1))) if button else None


def _api_choice(week: ClinicWeek, start: datetime) -> tuple[int, int] | None:
    web = WebClient(HTTP_AUTHORIZATION=f"Bearer {issue_token(week.cast.client_user)}")
    body = {
        "service": week.service.pk,
        "start": start.isoformat(),
        "minutes": 60,
        "accepts_cancellation_policy": True,
    }
    answer = web.post("/api/v1/appointments", json.dumps(body), content_type="application/json")
    if answer.status_code == 409:
        return None
    assert answer.status_code == 201, answer.json()
    return answer.json()["therapist"], answer.json()["location"]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.tuples(NAMES, NAMES),
    maya_busy=st.sets(st.sampled_from(HOURS)),
    hour=st.sampled_from(HOURS),
)
def test_the_pages_and_the_api_choose_the_same_therapist_and_location(
    open_week: ClinicWeek, names: tuple[str, str], maya_busy: set[int], hour: int
) -> None:
    start = datetime.combine(DAY, time(hour), tzinfo=TORONTO)
    with transaction.atomic():
        for therapist, name in zip((open_week.maya, open_week.dan), names, strict=True):
            therapist.display_name = name
            therapist.save()
        for busy in sorted(maya_busy):
            if busy % 2 == hour % 2:  # every other hour: room for the 60 + 10 minutes
                book_appointment(
                    open_week.practice,
                    open_week.request(
                        datetime.combine(DAY, time(busy), tzinfo=TORONTO),
                        client=open_week.other_client,
                        as_staff=True,
                    ),
                )
        pages = _public_choice(WebClient(), open_week, start)
        api = _api_choice(open_week, start)
        assert pages == api
        transaction.set_rollback(True)
    schedule_changed([open_week.practice.pk])
