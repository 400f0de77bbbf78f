"""The front desk's day in a real browser: a column per therapist with the hours nobody works
shaded; an in-home visit booked for a new client from the day view (address checked, travel
fee and HST shown before booking); the client checked in from the schedule; and checkout with
a split payment that issues the receipt, printed there and then."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from fascia.billing.models import Payment, Receipt
from fascia.clients.models import Client
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.tests.conftest import SOON as DAY
from fascia.scheduling.tests.conftest import MobileWeek, mobile_week  # noqa: F401
from fascia.staff.tests.test_browser_calendar import sign_in
from fascia.tests.accessibility import assert_accessible

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.fixture
def home_visits(mobile_week: MobileWeek) -> MobileWeek:  # noqa: F811
    practice = mobile_week.practice
    practice.works_statutory_holidays = True
    practice.tax_number = "123456789RT0001"
    practice.save()
    mobile = mobile_week.mobile
    mobile.travel_base_fee = Decimal("15.00")
    mobile.save()
    return mobile_week


def shot(page: Any, name: str) -> None:
    """A screenshot for a person to look at (var/screenshots, not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def click_slot(page: Any, therapist_id: int, wall_clock: str) -> None:
    """Click a therapist's column at a time, as a person would: the row scrolled into view
    and measured after the page has settled (a status line above the calendar moves it)."""
    lane = page.locator(f".fc-timegrid-slot-lane[data-time='{wall_clock}']")
    lane.scroll_into_view_if_needed()
    page.wait_for_timeout(50)
    column = page.locator(f".fc-timegrid-col[data-resource-id='{therapist_id}']").bounding_box()
    row = lane.bounding_box()
    x, y = column["x"] + column["width"] / 2, row["y"] + row["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.up()


def test_front_desk_books_a_home_visit_for_a_new_client_checks_in_and_checks_out(
    live_server: Any, page: Any, home_visits: MobileWeek
) -> None:
    week = home_visits.week
    sign_in(page, live_server, week.cast.front_desk.email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/staff/calendar/?view=resourceTimeGridDay&date={DAY.isoformat()}")

    # A column per therapist; before 9 and after 5 are shaded and cannot be booked.
    page.locator(".fc-col-header-cell", has_text="Dan Okafor").wait_for()
    assert page.locator(".fc-col-header-cell", has_text=week.maya.display_name).count() == 1
    assert page.locator(".fc-bg-event.off-hours").count() >= 4  # before and after, each
    assert_accessible(page)
    shot(page, "schedule-day-desktop")

    click_slot(page, week.maya.pk, "08:15:00")
    assert "is not working then" in page.locator("#calendar-status").inner_text()
    assert not page.locator("#book-dialog").is_visible()

    click_slot(page, week.maya.pk, "10:00:00")
    dialog = page.locator("#book-dialog")
    try:
        dialog.wait_for()
    except Exception as error:  # say what the calendar said instead of only "timed out"
        raise AssertionError(page.locator("#calendar-status").inner_text()) from error
    # Maya works in homes that day, so the home visit is the place offered first.
    assert dialog.get_by_label("At the client's home (Home visits)").is_checked()
    dialog.get_by_label("New client").check()
    dialog.locator("#new-first").fill("Jordan")
    dialog.locator("#new-last").fill("Newhome")
    dialog.locator("#new-email").fill("jordan@example.com")
    dialog.locator("#home-street").fill("12 Queen St W")
    dialog.locator("#home-city").fill("Brampton")
    dialog.locator("#home-postal").fill("L6Y 1N2")
    dialog.get_by_role("button", name="Check the address").click()
    dialog.locator("#home-result", has_text="Travel fee $15.00").wait_for()
    # $120 + $15 travel, 13% HST on both: $152.55 in all, before booking.
    dialog.locator("#book-price", has_text="$152.55").wait_for()
    assert "HST" in dialog.locator("#book-price").inner_text()
    dialog.get_by_label("The client accepted the cancellation policy").check()
    assert_accessible(page)
    dialog.get_by_role("button", name="Book", exact=True).click()
    page.locator(".fc-event", has_text="Jordan Newhome").wait_for()

    client = Client.objects.get(email="jordan@example.com")
    visit = Appointment.objects.get(client=client)
    assert visit.therapist == week.maya and visit.location == home_visits.mobile
    assert visit.visit_postal_code == "L6Y 1N2" and visit.travel_fee == Decimal("15.00")
    assert page.locator(".fc-event", has_text="Jordan Newhome").locator(".icon-home").count() == 1

    # The visit is now: the client is at the door (the test moves it to the present).
    start = timezone.now() - timedelta(minutes=5)
    Appointment.objects.filter(pk=visit.pk).update(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        busy_from=start - timedelta(minutes=5),
        busy_until=start + timedelta(hours=1, minutes=10),
    )
    today = start.astimezone(week.practice.zone).date()  # the visit's day (just after midnight too)
    page.goto(f"{live_server.url}/staff/calendar/?view=listDay&date={today.isoformat()}")
    page.locator(".fc-event", has_text="Jordan Newhome").click()
    visit_dialog = page.locator("#visit-dialog")
    visit_dialog.get_by_role("button", name="Check in (arrived)").click()
    page.get_by_text("Jordan Newhome: Arrived.").wait_for()
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.ARRIVED

    page.locator(".fc-event", has_text="Jordan Newhome").click()
    visit_dialog.get_by_role("link", name="Check out").click()
    page.wait_for_url(f"**/staff/visits/{visit.pk}/checkout/")
    assert page.get_by_test_id("owing").inner_text() == "$152.55"
    assert_accessible(page)
    shot(page, "checkout-desktop")
    page.set_viewport_size({"width": 820, "height": 1100})
    shot(page, "checkout-tablet")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#id_amount_1").fill("100.00")
    page.locator("#id_method_1").select_option("credit")
    page.locator("#id_amount_2").fill("52.55")
    page.locator("#id_method_2").select_option("cash")
    page.get_by_role("button", name="Take payment and issue receipt").click()
    page.get_by_test_id("receipt-issued").wait_for()
    receipt = Receipt.objects.get(invoice__appointment=visit)
    assert sorted(Payment.objects.values_list("method", flat=True)) == ["cash", "credit"]
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.COMPLETED
    assert_accessible(page)

    with page.context.expect_page() as printed:
        page.get_by_role("link", name="Print receipt").click()
    receipt_page = printed.value
    receipt_page.wait_for_load_state()
    assert "152.55" in receipt_page.content()
    assert str(receipt.number) in receipt_page.content()
    receipt_page.close()

    # The list view (phones, screen readers) shows the day with words beside the icons.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/staff/calendar/list/?date={today.isoformat()}")
    row = page.get_by_test_id("visit-row").filter(has_text="Jordan Newhome")
    assert "Completed" in row.inner_text() and "In the client's home" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def test_a_move_onto_time_off_is_refused_before_it_is_made_and_the_client_may_be_left_untold(
    live_server: Any, page: Any, home_visits: MobileWeek
) -> None:
    from fascia.scheduling.booking import book_appointment

    week = home_visits.week
    from fascia.scheduling.tests.conftest import at

    visit = book_appointment(
        week.practice, week.request(at(DAY, 10), therapist=week.dan)
    ).appointment
    sign_in(page, live_server, week.cast.front_desk.email)
    page.set_viewport_size({"width": 1280, "height": 1600})  # the whole day in view, to drag
    page.goto(f"{live_server.url}/staff/calendar/?view=resourceTimeGridDay&date={DAY.isoformat()}")
    event = page.locator(".fc-event", has_text=week.client.display_name)
    event.wait_for()

    def drag_to(hour: str) -> None:
        grab = event.bounding_box()
        slot = page.locator(f".fc-timegrid-slot-lane[data-time='{hour}']").bounding_box()
        page.mouse.move(grab["x"] + 20, grab["y"] + 4)
        page.mouse.down()
        page.mouse.move(grab["x"] + 20, slot["y"] + 4, steps=12)
        page.mouse.up()
        page.locator(".fc-event-dragging").wait_for(state="detached")

    # Onto 8 am, before Dan starts: the calendar refuses and says why; nothing is sent.
    drag_to("08:00:00")
    assert "is not working then" in page.locator("#calendar-status").inner_text()
    assert not page.locator("#move-dialog").is_visible()

    # Onto 2 pm: a confirmation first, with "tell the client?".
    drag_to("14:00:00")
    move = page.locator("#move-dialog")
    move.wait_for()
    move.get_by_label("Tell the client (email or text)").uncheck()
    move.get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("Moved Casey").wait_for()
    visit.refresh_from_db()
    assert visit.starts_at.astimezone(week.practice.zone).hour == 14
    from fascia.audit.models import AuditEntry

    assert AuditEntry.objects.filter(detail__contains="client not told").exists()


def test_a_visit_dragged_to_another_therapists_column_moves_to_them(
    live_server: Any, page: Any, open_week: Any
) -> None:
    from fascia.scheduling.booking import book_appointment
    from fascia.scheduling.tests.conftest import at

    week = open_week
    visit = book_appointment(
        week.practice, week.request(at(DAY, 10), therapist=week.dan)
    ).appointment
    sign_in(page, live_server, week.cast.front_desk.email)
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto(f"{live_server.url}/staff/calendar/?view=resourceTimeGridDay&date={DAY.isoformat()}")
    event = page.locator(".fc-event", has_text=week.client.display_name)
    event.wait_for()
    grab = event.bounding_box()
    maya = page.locator(f".fc-timegrid-col[data-resource-id='{week.maya.pk}']").bounding_box()
    eleven = page.locator(".fc-timegrid-slot-lane[data-time='11:00:00']").bounding_box()
    assert grab and maya and eleven
    page.mouse.move(grab["x"] + 20, grab["y"] + 4)
    page.mouse.down()
    page.mouse.move(maya["x"] + maya["width"] / 2, eleven["y"] + 4, steps=15)
    page.mouse.up()
    move = page.locator("#move-dialog")
    move.wait_for()
    assert week.maya.display_name in move.inner_text()
    move.get_by_role("button", name="Move", exact=True).click()
    page.get_by_text("Moved Casey").wait_for()
    visit.refresh_from_db()
    assert visit.therapist == week.maya
    assert visit.starts_at.astimezone(week.practice.zone).hour == 11
    # The schedule at a tablet's width, for a person to look at.
    page.set_viewport_size({"width": 820, "height": 1100})
    page.reload()
    page.locator(".fc-event", has_text=week.client.display_name).wait_for()
    shot(page, "schedule-day-tablet")


def test_the_week_on_a_phone_is_a_list_of_days(live_server: Any, page: Any, open_week: Any) -> None:
    from fascia.scheduling.booking import book_appointment
    from fascia.scheduling.tests.conftest import at

    week = open_week
    book_appointment(week.practice, week.request(at(DAY, 10)))
    book_appointment(
        week.practice, week.request(at(DAY + timedelta(days=1), 14), therapist=week.dan)
    )
    sign_in(page, live_server, week.cast.front_desk.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/staff/calendar/?view=week&date={DAY.isoformat()}")
    page.locator(".fc-list-event", has_text=week.client.display_name).first.wait_for()
    assert page.locator(".fc-list-event").count() == 2  # both days, one list
    assert "Dan Okafor" in page.locator(".fc-list-event").nth(1).inner_text()  # who, not a column
    assert page.locator(".fc-timegrid").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    shot(page, "schedule-week-phone")
