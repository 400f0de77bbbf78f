"""The day planner reorders a scrambled day of home visits, keeps every client's window, shows
the saving, and applies only on confirmation and only if nothing changed meanwhile."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from itertools import permutations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fascia.clients.actions import register_client
from fascia.mobile import planner
from fascia.mobile.day import therapist_day
from fascia.mobile.exact import (
    DayProblem,
    Fix,
    exact_order,
    keeps_everything,
    what_would_make_it_possible,
)
from fascia.mobile.planner import (
    NoOrderPossible,
    apply_day_plan,
    keeps,
    propose_day_plan,
    route_minutes,
    schedule_order,
)
from fascia.notifications.models import OutboundMessage
from fascia.scheduling.booking import BookingError, book_appointment
from fascia.scheduling.models import Appointment
from fascia.scheduling.moves import reschedule_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, MobileWeek, at

TUESDAY = MONDAY + timedelta(days=1)


def scrambled_day(mobile_week: MobileWeek, window: tuple[int, int] = (9, 17)) -> list[Any]:
    """Toronto, then Guelph, then Mississauga: 195 minutes' driving from and back to Brampton,
    where 177 would do (Toronto, Mississauga, Guelph, or the reverse)."""
    week = mobile_week.week
    visits = []
    for n, (hour, minute, postal_code) in enumerate(
        [(9, 45, "M5V 3L9"), (12, 15, "N1G 2W1"), (14, 45, "L5B 4M7")]
    ):
        client = register_client(
            week.practice,
            by=None,
            legal_first_name=f"Client{n}",
            legal_last_name="Home",
            email=f"home{n}@example.com",
        )
        request = week.request(
            at(TUESDAY, hour, minute),
            client=client,
            location=mobile_week.mobile,
            address=mobile_week.home(postal_code),
            window_starts_at=at(TUESDAY, window[0]),
            window_ends_at=at(TUESDAY, window[1]),
        )
        visits.append(book_appointment(week.practice, request, now=NOW).appointment)
    return visits


def test_the_day_view_shows_each_drive(mobile_week: MobileWeek) -> None:
    scrambled_day(mobile_week)
    day = therapist_day(mobile_week.week.maya, TUESDAY)
    assert [leg.minutes for leg in day.legs] == [40, 72, 54, 29]
    assert day.drive_minutes == 195
    toronto_leg = day.legs[0]
    assert toronto_leg.leave_by == at(TUESDAY, 9)  # 9:45 - 5 min set-up - 40 min


def test_the_planner_reorders_a_scrambled_day_and_shows_the_saving(
    mobile_week: MobileWeek, django_capture_on_commit_callbacks: Any
) -> None:
    visits = scrambled_day(mobile_week)
    OutboundMessage.objects.all().delete()
    plan = propose_day_plan(mobile_week.week.maya, TUESDAY)
    assert (plan.booked_minutes, plan.planned_minutes, plan.saved_minutes) == (195, 177, 18)
    assert plan.saved_km > 0
    for planned in plan.visits:
        appointment = planned.appointment
        opens, closes = appointment.window_starts_at, appointment.window_ends_at
        assert opens is not None and closes is not None
        assert opens <= planned.start and planned.start + appointment.duration <= closes
    order = [planned.appointment.visit_postal_code for planned in plan.visits]
    assert order in (["M5V 3L9", "L5B 4M7", "N1G 2W1"], ["N1G 2W1", "L5B 4M7", "M5V 3L9"])
    # Nothing moves until the therapist confirms.
    assert [a.starts_at for a in Appointment.objects.order_by("pk")] == [
        v.starts_at for v in visits
    ]
    with django_capture_on_commit_callbacks(execute=True):
        moved = apply_day_plan(
            plan, fingerprint=plan.fingerprint, by=mobile_week.week.maya.user, now=NOW
        )
    assert moved
    after = therapist_day(mobile_week.week.maya, TUESDAY)
    assert after.drive_minutes == 177
    first = min(after.visits, key=lambda visit: visit.starts_at)
    assert first.starts_at >= at(TUESDAY, 9, 45)  # she sets out at 9:00
    told = set(OutboundMessage.objects.values_list("to", flat=True))
    assert told == {a.client.email for a in moved}


def test_a_plan_is_refused_once_the_day_changed(mobile_week: MobileWeek) -> None:
    visits = scrambled_day(mobile_week)
    maya = mobile_week.week.maya.user
    plan = propose_day_plan(mobile_week.week.maya, TUESDAY)
    with pytest.raises(BookingError, match="out of date"):
        apply_day_plan(plan, fingerprint="not-this-plan", by=maya)
    reschedule_appointment(visits[2], start=at(TUESDAY, 15), as_staff=True, now=NOW)
    with pytest.raises(BookingError, match="changed since"):
        apply_day_plan(plan, fingerprint=plan.fingerprint, by=maya, now=NOW)
    assert Appointment.objects.get(pk=visits[0].pk).starts_at == at(TUESDAY, 9, 45)


def test_windows_too_narrow_to_reach_are_refused(mobile_week: MobileWeek) -> None:
    scrambled_day(mobile_week, window=(9, 17))
    # A visit with no window stays put; one pinned visit in Guelph at 12:15 with others
    # pinned too leaves only the booked order.
    Appointment.objects.update(window_starts_at=None, window_ends_at=None)
    plan = propose_day_plan(mobile_week.week.maya, TUESDAY)
    assert plan.saved_minutes == 0 and not plan.changes


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_the_exact_search_finds_the_least_driving_order_that_keeps_the_windows(data: Any) -> None:
    """Against trying every order by brute force, with the end of the working day kept too
    (home by then), up to 7 visits."""
    count = data.draw(st.integers(1, 7))
    size = count + 1
    minutes = [
        [0 if a == b else data.draw(st.integers(1, 60)) for b in range(size)] for a in range(size)
    ]
    service = [data.draw(st.integers(10, 60)) for _ in range(count)]
    windows = []
    for _ in range(count):
        low = data.draw(st.integers(0, 400))
        windows.append((low, low + data.draw(st.integers(0, 300))))
    day_ends = data.draw(st.integers(200, 1200))
    problem = DayProblem(minutes, windows, service, (0, day_ends))

    def drive(order: tuple[int, ...]) -> int | None:
        now, position, total = 0, 0, 0
        for job in order:
            total += minutes[position][job + 1]
            now = max(now + minutes[position][job + 1], windows[job][0])
            if now > windows[job][1]:
                return None
            now += service[job]
            position = job + 1
        if now + minutes[position][0] > day_ends:
            return None
        return total + minutes[position][0]

    costs = [c for c in (drive(order) for order in permutations(range(count))) if c is not None]
    found = exact_order(problem)
    if not costs:
        assert found is None
        assert not keeps_everything(problem)
    else:
        assert found is not None and drive(tuple(found)) == min(costs)
        assert route_minutes(minutes, found) == min(costs)
        assert keeps(problem, found)
        arrivals = schedule_order(minutes, windows, service, 0, found)
        assert all(
            windows[j][0] <= t <= windows[j][1] for j, t in zip(found, arrivals, strict=True)
        )
        # Bounded by a worse answer it still finds the best; by the best, it has nothing better.
        bounded = exact_order(problem, bound=min(costs) + 1)
        assert bounded is not None and route_minutes(minutes, bounded) == min(costs)
        assert exact_order(problem, bound=min(costs)) is None


def _three_homes(window: tuple[int, int] = (0, 2000)) -> DayProblem:
    """Home, and three visits an hour's drive apart from each other and from home."""
    minutes = [[0, 30, 30, 30], [30, 0, 60, 60], [30, 60, 0, 60], [30, 60, 60, 0]]
    return DayProblem(minutes, [window] * 3, [60, 60, 60], (480, 1080))


def test_an_impossible_day_says_which_change_would_make_it_possible() -> None:
    # Two visits both wanted 9:00-9:30 (arrivals 540-570), an hour's drive apart.
    problem = replace(_three_homes(), windows=[(540, 570), (540, 570), (600, 900)])
    assert exact_order(problem) is None
    fixes = what_would_make_it_possible(problem)
    widen = [fix for fix in fixes if fix.kind == "widen"]
    assert {fix.visit for fix in widen} == {0, 1}
    needed = widen[0].minutes
    # The smallest widening (to 5 minutes) that works, and less does not.
    windows = list(problem.windows)
    low, high = windows[widen[0].visit]  # type: ignore[index]
    windows[widen[0].visit] = (low - needed, high + needed)  # type: ignore[index]
    assert keeps_everything(replace(problem, windows=windows))
    windows[widen[0].visit] = (low - needed + 5, high + needed - 5)  # type: ignore[index]
    assert not keeps_everything(replace(problem, windows=windows))
    assert Fix("move", 0, 0) in fixes and Fix("move", 0, 1) in fixes
    assert Fix("move", 0, 2) not in fixes  # moving the afternoon visit does not help
    # A day that only ends too late: finishing later (or moving a visit) is the answer.
    # Six hours of driving and treating from 8:00 do not fit by 13:00: an hour more does.
    late = replace(_three_homes(), shift=(480, 780))
    assert exact_order(late) is None
    assert Fix("later", 60) in what_would_make_it_possible(late)


def test_the_exact_search_still_looks_when_vroom_finds_no_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = _three_homes()
    monkeypatch.setattr(planner, "_vroom_order", lambda problem: None)
    order = planner.solve(problem)
    assert order is not None and route_minutes(problem.minutes, order) == 30 + 60 + 60 + 30


def test_the_planner_names_the_visit_and_the_change_when_no_order_exists(
    mobile_week: MobileWeek,
) -> None:
    visits = scrambled_day(mobile_week)
    # Toronto and Guelph both asked for 9:45-11:15 on the same morning: 72 minutes apart.
    Appointment.objects.filter(pk__in=[visits[0].pk, visits[1].pk]).update(
        window_starts_at=at(TUESDAY, 9, 45), window_ends_at=at(TUESDAY, 11, 15)
    )
    with pytest.raises(NoOrderPossible) as refused:
        propose_day_plan(mobile_week.week.maya, TUESDAY)
    message = refused.value.message
    assert "No order keeps every client's time window" in message
    assert "Client0 Home" in message or "Client1 Home" in message
    assert re.search(r"widen .*time window by \d+ minutes|another day", message)
    assert refused.value.fixes
