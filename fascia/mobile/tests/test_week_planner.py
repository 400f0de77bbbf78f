"""The week planner's proposal: two mobile therapists who cross each other's path every day
are proposed a week in which each stays on their side of the map; every visit stays inside
its client's window and goes only to a therapist who may give it; a visit whose note is
written stays put; nothing is moved by proposing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from fascia.clients.actions import register_client
from fascia.links import record_token
from fascia.mobile.models import ChangeAnswer, VisitChangeRequest
from fascia.mobile.tests.test_planner import TUESDAY
from fascia.mobile.week import propose_week_plan
from fascia.mobile.week_moves import PURPOSE, answer_visit_change, ask_clients_to_agree
from fascia.notifications.models import OutboundMessage
from fascia.records.notes import start_note
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.errors import BookingError, NotPermitted
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
    # A client who prefers a therapist of a gender goes only to one; one who keeps their own
    # therapist is never moved.
    week.maya.gender, week.dan.gender = "woman", "man"
    week.maya.save()
    week.dan.save()
    prefers = visits[2].client  # Dan's Toronto client
    prefers.prefers_therapist_gender = "man"
    prefers.save()
    keeps = visits[1].client  # Maya's Toronto client
    keeps.keeps_their_therapist = True
    keeps.save()
    plan = propose_week_plan(week.practice, MONDAY, now=NOW)
    where = {p.appointment.pk: p for p in plan.visits}
    assert where[visits[2].pk].therapist.pk == week.dan.pk
    assert (where[visits[1].pk].therapist.pk, where[visits[1].pk].start) == (
        week.maya.pk,
        visits[1].starts_at,
    )


def test_a_visit_moves_only_when_its_client_agrees(
    crossing: tuple[MobileWeek, list[Any]],
    signed_in: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mobile_week, _visits = crossing
    week = mobile_week.week
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # the planned week is in the future
    page = f"/staff/mobile/week/?week={MONDAY.isoformat()}"
    desk = signed_in(week.cast.front_desk)
    shown = desk.get(page).content.decode()
    assert "Proposed changes" in shown and "less driving this week" in shown
    assert signed_in(week.maya.user).get(page).status_code == 403  # not a therapist's to plan
    booked = {v.pk: (v.therapist_id, v.starts_at) for v in Appointment.objects.all()}
    OutboundMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        asked = desk.post(page, follow=True)
    assert "moves only if" in asked.content.decode()
    requests = list(VisitChangeRequest.objects.order_by("pk"))
    assert requests and all(r.answer == ChangeAnswer.ASKED for r in requests)
    told = {m.to for m in OutboundMessage.objects.all()}
    assert told == {r.appointment.client.email for r in requests}
    # Asking moves nothing, and asking again does not ask twice.
    assert {v.pk: (v.therapist_id, v.starts_at) for v in Appointment.objects.all()} == booked
    desk.post(page)
    assert VisitChangeRequest.objects.count() == len(requests)

    visitor = WebClient()
    first = f"/visits/change/{record_token(PURPOSE, requests[0].pk)}/"
    assert "May we change your home visit?" in visitor.get(first).content.decode()
    answered = visitor.post(first, {"answer": "accept"}).content.decode()
    assert "Your visit is changed" in answered or "Thank you: your visit will change" in answered
    for change in requests[1:]:  # the others agree too: visits that trade places move together
        visitor.post(f"/visits/change/{record_token(PURPOSE, change.pk)}/", {"answer": "accept"})
    for change in VisitChangeRequest.objects.all():
        assert change.answer == ChangeAnswer.ACCEPTED
        moved = Appointment.objects.get(pk=change.appointment_id)
        assert (moved.therapist_id, moved.starts_at) == (change.therapist_id, change.starts_at)
    again = visitor.post(first, {"answer": "decline"})
    assert again.status_code == 422 and "already answered" in again.content.decode()
    assert visitor.get("/visits/change/not-a-token/").status_code == 404


def test_only_the_owner_or_front_desk_asks_and_a_late_answer_changes_nothing(
    crossing: tuple[MobileWeek, list[Any]],
) -> None:
    mobile_week, _visits = crossing
    week = mobile_week.week
    plan = propose_week_plan(week.practice, MONDAY, now=NOW)
    with pytest.raises(NotPermitted):
        ask_clients_to_agree(plan, by=week.maya.user, now=NOW)
    (change, *_rest) = ask_clients_to_agree(plan, by=week.cast.owner, now=NOW)
    before = (change.appointment.therapist_id, change.appointment.starts_at)
    with pytest.raises(BookingError, match="expired"):
        answer_visit_change(change, accept=True, now=change.expires_at + timedelta(minutes=1))
    after = Appointment.objects.get(pk=change.appointment_id)
    assert (after.therapist_id, after.starts_at) == before
    # A client who declines keeps their visit as booked.
    declined = answer_visit_change(change, accept=False, now=NOW)
    assert declined.answer == ChangeAnswer.DECLINED
    after = Appointment.objects.get(pk=change.appointment_id)
    assert (after.therapist_id, after.starts_at) == before


@pytest.mark.browser
def test_a_client_agrees_on_a_phone(
    live_server: Any, page: Any, crossing: tuple[MobileWeek, list[Any]]
) -> None:
    from fascia.staff.tests.test_browser_front_desk_day import shot
    from fascia.tests.accessibility import assert_accessible

    mobile_week, _visits = crossing
    week = mobile_week.week
    plan = propose_week_plan(week.practice, MONDAY, now=NOW)
    change = ask_clients_to_agree(plan, by=week.cast.owner, now=NOW)[0]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/visits/change/{record_token(PURPOSE, change.pk)}/")
    page.get_by_role("heading", name="May we change your home visit?").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    shot(page, "visit-change-phone")
    page.get_by_role("button", name="No, keep it as booked").click()
    page.get_by_role("heading", name="Your visit stays as booked").wait_for()
    assert_accessible(page)
