"""The week planner's proposal: two mobile therapists who cross each other's path every day
are proposed a week in which each stays on their side of the map; every visit stays inside
its client's window and goes only to a therapist who may give it; a visit whose note is
written stays put; nothing is moved by proposing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fascia.clients.actions import register_client
from fascia.mobile.tests.test_planner import TUESDAY
from fascia.mobile.week import propose_week_plan
from fascia.records.notes import start_note
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.models import Appointment, WeeklyShift
from fascia.scheduling.tests.conftest import MONDAY, NOW, MobileWeek, at

HOMES = {"Toronto": "M5V 3L9", "Guelph": "N1G 2W1"}


@pytest.fixture
def crossing(mobile_week: MobileWeek) -> tuple[MobileWeek, list[Any]]:
    """Tuesday: Maya goes to Guelph then Toronto, Dan to Toronto then Guelph, every client
    free from 9 to 5."""
    week = mobile_week.week
    dan = week.dan
    dan.home_postal_code = "L6Y 0B3"
    dan.save()
    WeeklyShift.objects.filter(therapist=dan).update(location=mobile_week.mobile)
    visits = []
    plan = [
        (week.maya, 10, "Guelph"),
        (week.maya, 14, "Toronto"),
        (dan, 10, "Toronto"),
        (dan, 14, "Guelph"),
    ]
    for n, (therapist, hour, town) in enumerate(plan):
        client = register_client(
            week.practice,
            by=None,
            legal_first_name=f"Week{n}",
            legal_last_name=town,
            email=f"week{n}@example.com",
        )
        visits.append(
            book_appointment(
                week.practice,
                week.request(
                    at(TUESDAY, hour),
                    client=client,
                    therapist=therapist,
                    location=mobile_week.mobile,
                    address=mobile_week.home(HOMES[town]),
                    window_starts_at=at(TUESDAY, 9),
                    window_ends_at=at(TUESDAY, 17),
                    as_staff=True,
                ),
                now=NOW,
            ).appointment
        )
    return mobile_week, visits


def test_the_week_plan_stops_the_crossing_and_saves_driving(
    crossing: tuple[MobileWeek, list[Any]],
) -> None:
    mobile_week, _visits = crossing
    week = mobile_week.week
    booked = {v.pk: (v.therapist_id, v.starts_at) for v in Appointment.objects.all()}
    plan = propose_week_plan(week.practice, MONDAY, now=NOW)
    assert plan.saved_minutes > 30
    assert plan.saved_minutes == sum(plan.saved_by(t) for t in (week.maya.pk, week.dan.pk))
    for proposed in plan.visits:
        visit = proposed.appointment
        opens, closes = visit.window_starts_at, visit.window_ends_at
        assert opens is not None and closes is not None
        assert opens <= proposed.start and proposed.start + visit.duration <= closes
    # Nobody drives from one town to the other and back: each town's visits are together.
    for therapist_id in {p.therapist.pk for p in plan.visits}:
        towns = [
            p.appointment.client.legal_last_name
            for p in sorted(plan.visits, key=lambda p: p.start)
            if p.therapist.pk == therapist_id
        ]
        assert towns == sorted(towns) or towns == sorted(towns, reverse=True)
    # Proposing moves nothing.
    assert {v.pk: (v.therapist_id, v.starts_at) for v in Appointment.objects.all()} == booked
    assert len(plan.changes) >= 2


def test_a_visit_goes_only_to_who_may_give_it_and_a_written_note_stays_put(
    crossing: tuple[MobileWeek, list[Any]],
) -> None:
    mobile_week, visits = crossing
    week = mobile_week.week
    # Dan no longer offers the massage; Maya's Guelph visit has its note started.
    week.dan.modalities = ["physiotherapy"]
    week.dan.save()
    start_note(visits[0], by=week.maya.user)
    plan = propose_week_plan(week.practice, MONDAY, now=NOW)
    where = {p.appointment.pk: p for p in plan.visits}
    assert where[visits[0].pk].therapist.pk == week.maya.pk
    assert where[visits[0].pk].start == visits[0].starts_at
    for proposed in plan.visits:
        if proposed.appointment.therapist_id == week.maya.pk:
            assert proposed.therapist.pk == week.maya.pk  # Dan may not take a massage
    # A French-speaking client goes only to a therapist who speaks French.
    week.dan.modalities = ["swedish"]
    week.dan.languages = ["English"]
    week.dan.save()
    week.maya.languages = ["English", "French"]
    week.maya.save()
    french = visits[3].client
    french.preferred_language = "fr"
    french.save()
    plan = propose_week_plan(week.practice, MONDAY + timedelta(days=0), now=NOW)
    assert {p.therapist.pk for p in plan.visits if p.appointment.pk == visits[3].pk} == {
        week.maya.pk
    }
