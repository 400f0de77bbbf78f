"""The front desk works the calendar in a real browser: sees visits, books one into an empty
time, drags it to another time, and cancels it."""

from __future__ import annotations

from typing import Any

import pytest

from fascia.conftest import PASSWORD
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.tests.conftest import SOON as DAY
from fascia.scheduling.tests.conftest import ClinicWeek

pytestmark = pytest.mark.browser


def sign_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/staff/")


def test_front_desk_books_moves_and_cancels_on_the_calendar(
    live_server: Any, page: Any, open_week: ClinicWeek
) -> None:
    sign_in(page, live_server, open_week.cast.front_desk.email)
    page.set_viewport_size({"width": 1280, "height": 1600})  # the whole day in view, to drag
    url = (
        f"{live_server.url}/staff/calendar/?view=timeGridDay&date={DAY.isoformat()}"
        f"&therapist={open_week.maya.pk}"
    )
    page.goto(url)
    page.locator(".fc-timegrid-slot-lane[data-time='10:00:00']").click()

    dialog = page.locator("#book-dialog")
    dialog.get_by_label("Find the client").fill("robin")
    page.wait_for_function("document.querySelector('#book-client').options.length > 0")
    dialog.get_by_label("The client accepted the cancellation policy").check()
    dialog.get_by_role("button", name="Book", exact=True).click()
    event = page.locator(".fc-event", has_text="Robin Other")
    event.wait_for()
    appointment = Appointment.objects.get(client=open_week.other_client)
    assert appointment.starts_at.astimezone(open_week.practice.zone).hour == 10
    assert appointment.therapist == open_week.maya

    # Grab the visit by its top edge and drop it on 2 pm. The calendar then reloads its
    # events: click the visit only once they are drawn again.
    event.drag_to(
        page.locator(".fc-timegrid-slot-lane[data-time='14:00:00']"),
        source_position={"x": 20, "y": 4},
        target_position={"x": 40, "y": 4},
    )
    with page.expect_response(lambda response: "/api/v1/schedule?" in response.url):
        page.locator("#move-dialog").get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("Moved Robin Other").wait_for()
    appointment.refresh_from_db()
    assert appointment.starts_at.astimezone(open_week.practice.zone).hour == 14

    page.locator(".fc-event", has_text="Robin Other").click()
    page.locator("#visit-dialog").get_by_role("button", name="Cancel visit").click()
    cancel = page.locator("#cancel-dialog")
    cancel.get_by_label("Reason (optional)").fill("Client is unwell")
    # The calendar reloads its events after the cancellation: wait for it, so the test does not
    # end (and the database is emptied) with that request still running.
    with page.expect_response(lambda response: "/api/v1/schedule?" in response.url):
        cancel.get_by_role("button", name="Cancel the visit").click()
    page.get_by_text("visit is cancelled").wait_for()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancellation_reason == "Client is unwell"


def test_a_bookkeeper_sees_the_calendar_but_cannot_change_it(
    live_server: Any, page: Any, open_week: ClinicWeek
) -> None:
    sign_in(page, live_server, open_week.cast.bookkeeper.email)
    page.goto(f"{live_server.url}/staff/calendar/?view=timeGridDay&date={DAY.isoformat()}")
    page.locator(".fc-timegrid-slot-lane[data-time='10:00:00']").click()
    assert not page.locator("#book-dialog").is_visible()
