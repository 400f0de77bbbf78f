"""The owner's home: this week's and month's revenue, visits, rates and clients, each
therapist's schedule fill and what needs doing, each figure linking to its list; and the
reports it links to, read in a browser at desktop and tablet widths."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from fascia.billing.actions import invoice_appointment, record_payment
from fascia.billing.tests.test_billing import completed_visit
from fascia.scheduling.tests.conftest import MONDAY, ClinicWeek, at
from fascia.scheduling.tests.test_figures import a_week_of_visits
from fascia.staff.owner_dashboard import owner_dashboard
from fascia.staff.tests.test_browser_calendar import sign_in
from fascia.staff.tests.test_browser_front_desk_day import shot
from fascia.tests.accessibility import assert_accessible

WEDNESDAY_NOON = at(MONDAY + timedelta(days=2), 12)


def test_the_dashboard_counts_the_week_and_the_month(week: ClinicWeek) -> None:
    a_week_of_visits(week)
    paid = invoice_appointment(completed_visit(week, 16), now=at(MONDAY, 17))
    record_payment(paid, amount_paid="120.00", method="debit", now=at(MONDAY, 17))
    owing = invoice_appointment(completed_visit(week, 12), now=at(MONDAY + timedelta(days=1), 9))
    record_payment(owing, amount_paid="20.00", method="cash", now=at(MONDAY, 17))

    board = owner_dashboard(week.practice, now=WEDNESDAY_NOON)

    assert (board.week.period.first, board.week.period.last) == (
        MONDAY,
        MONDAY + timedelta(days=6),
    )
    assert board.month.period.first.day == 1 and board.month.period.last.day == 31
    assert board.week.revenue == Decimal("240.00") and board.week.received == Decimal("140.00")
    assert board.week.attendance.completed == 4  # two from the week, two invoiced here
    assert board.week.attendance.no_show_rate == Decimal("16.7")  # 1 of 6 due
    assert (board.week.clients.new, board.week.clients.returning) == (1, 1)
    assert board.month.revenue == board.week.revenue  # March has nothing else
    assert (board.owing, board.invoices_owing) == (Decimal("100.00"), 1)
    assert board.receipts_not_issued == 1  # the visit paid in full
    # Each completed visit of the last 90 days is still to be charted.
    assert board.unsigned_notes == board.incomplete_records == 5
    assert {fill.therapist.pk for fill in board.fill} == {week.maya.pk, week.dan.pk}


def test_only_the_owner_sees_the_dashboard(week: ClinicWeek, signed_in: Any) -> None:
    owner = signed_in(week.cast.owner).get(reverse("staff:home")).content.decode()
    assert "How the practice is doing" in owner
    assert f"{reverse('billing:reports')}#unreceipted" in owner
    assert f"{reverse('records:missing')}" in owner
    desk = signed_in(week.cast.front_desk).get(reverse("staff:home")).content.decode()
    assert "How the practice is doing" not in desk


@pytest.mark.browser
def test_the_dashboard_and_reports_read_well_on_desktop_and_tablet(
    live_server: Any, page: Any, week: ClinicWeek
) -> None:
    sign_in(page, live_server, week.cast.owner.email)
    for name, width in (("desktop", 1280), ("tablet", 820)):
        page.set_viewport_size({"width": width, "height": 1000})
        page.goto(f"{live_server.url}{reverse('staff:home')}")
        page.get_by_role("heading", name="How the practice is doing").wait_for()
        assert_accessible(page)
        shot(page, f"dashboard-{name}")
        page.goto(f"{live_server.url}{reverse('billing:reports')}")
        page.get_by_role("heading", name="Visits by therapist").wait_for()
        assert_accessible(page)
        shot(page, f"reports-{name}")
        for url, heading in (
            (reverse("pay:report"), "Therapist pay"),
            (reverse("pay:rules"), "Pay rules"),
        ):
            page.goto(f"{live_server.url}{url}")
            page.get_by_role("heading", name=heading, exact=True).wait_for()
            assert_accessible(page)
            shot(page, f"{url.strip('/').replace('/', '-')}-{name}")
