"""Checkout in one step: from the visit, the front desk sees what is owed (with HST and the
travel fee), takes one or more payments, and the receipt is issued there and then — never for
a visit that is not paid in full. The day's cash-out adds up each payment method."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fascia.billing import actions
from fascia.billing.checkout import PaymentRequest, cash_out, check_out_visit, what_is_owed
from fascia.billing.errors import BillingError
from fascia.billing.models import Invoice, Payment, Receipt
from fascia.billing.tests.test_coverage import policy
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.tests.conftest import (
    MONDAY,
    NOW,
    SOON,
    ClinicWeek,
    at,
)


def arrived_now(week: ClinicWeek, *, hours_ago: float = 1, **changes: Any) -> Appointment:
    """A visit that started `hours_ago` (but today, in the practice's zone: just after midnight
    it started at midnight) and whose client checked in."""
    visit = book_appointment(
        week.practice, week.request(at(MONDAY, 10), **changes), now=NOW
    ).appointment
    now = timezone.now()
    midnight = timezone.localtime(now, week.practice.zone).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    start = max(now - timedelta(hours=hours_ago), midnight)
    Appointment.objects.filter(pk=visit.pk).update(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        busy_from=start,
        busy_until=start + timedelta(hours=1, minutes=10),
    )
    visit.refresh_from_db()
    set_attendance(visit, "arrived")
    visit.refresh_from_db()
    return visit


@pytest.fixture
def taxed(week: ClinicWeek) -> ClinicWeek:
    week.practice.tax_number = "123456789RT0001"
    week.practice.save()
    return week


def test_checkout_completes_invoices_takes_a_split_payment_and_issues_the_receipt(
    taxed: ClinicWeek, signed_in: Any
) -> None:
    visit = arrived_now(taxed)
    desk = signed_in(taxed.cast.front_desk)
    url = f"/staff/visits/{visit.pk}/checkout/"

    page = desk.get(url).content.decode()
    # $120 + 13% HST, before the visit is invoiced.
    assert "$135.60" in page and "incl. HST" in page

    done = desk.post(
        url,
        {"amount_1": "100.00", "method_1": "credit", "amount_2": "35.60", "method_2": "cash"},
        follow=True,
    )
    body = done.content.decode()
    receipt = Receipt.objects.get()
    assert f"Receipt {receipt.number} is issued" in body
    assert f"/staff/receipts/{receipt.pk}.pdf?view=page" in body  # print
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.COMPLETED
    invoice = Invoice.objects.get(appointment=visit)
    assert sorted(Payment.objects.values_list("method", "amount")) == [
        ("cash", Decimal("35.60")),
        ("credit", Decimal("100.00")),
    ]
    assert receipt.invoice == invoice

    emailed = desk.post(
        f"/staff/visits/{visit.pk}/checkout/receipts/{receipt.pk}/email/",
        {"to": "client@example.com"},
        follow=True,
    )
    assert "is on its way to client@example.com" in emailed.content.decode()


def test_a_part_payment_is_taken_but_no_receipt_is_issued(
    taxed: ClinicWeek, signed_in: Any
) -> None:
    visit = arrived_now(taxed)
    desk = signed_in(taxed.cast.front_desk)
    page = desk.post(
        f"/staff/visits/{visit.pk}/checkout/",
        {"amount_1": "50.00", "method_1": "debit"},
        follow=True,
    ).content.decode()
    assert "$85.60 is still owing" in page
    assert not Receipt.objects.exists()
    assert what_is_owed(visit).balance == Decimal("85.60")


def test_too_much_money_is_refused_and_nothing_is_written(
    taxed: ClinicWeek, signed_in: Any
) -> None:
    visit = arrived_now(taxed)
    desk = signed_in(taxed.cast.front_desk)
    page = desk.post(
        f"/staff/visits/{visit.pk}/checkout/",
        {"amount_1": "100.00", "method_1": "credit", "amount_2": "50.00", "method_2": "cash"},
    ).content.decode()
    assert "more than the $35.60 owing" in page
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.ARRIVED  # the whole checkout was undone
    assert not Invoice.objects.exists() and not Payment.objects.exists()


def test_a_payment_row_needs_its_method_and_a_blank_form_is_refused(
    taxed: ClinicWeek, signed_in: Any
) -> None:
    visit = arrived_now(taxed)
    desk = signed_in(taxed.cast.front_desk)
    url = f"/staff/visits/{visit.pk}/checkout/"
    assert "Say how this amount was paid." in desk.post(url, {"amount_1": "10"}).content.decode()
    blank = desk.post(url, {}).content.decode()
    assert "Enter the payment the client is making." in blank
    assert not Invoice.objects.exists()


def test_a_visit_still_to_come_cannot_be_checked_out(open_week: ClinicWeek) -> None:
    week = open_week
    visit = book_appointment(week.practice, week.request(at(SOON, 10))).appointment
    with pytest.raises(BillingError, match="too early"):
        check_out_visit(visit, payments=[PaymentRequest("120.00", "cash")], by=week.cast.front_desk)
    assert not Invoice.objects.exists()


def test_the_insurer_pays_its_share_directly_and_the_client_the_rest(
    week: ClinicWeek,
) -> None:
    visit = arrived_now(week)
    plan = policy(week, year_starts=timezone.localdate().replace(month=1, day=1))
    (share,) = what_is_owed(visit).insurer_shares
    # 80% of $120 is $96, but the plan pays at most $80 a visit.
    assert share.policy == plan and share.share == Decimal("80.00")
    result = check_out_visit(
        visit,
        payments=[
            PaymentRequest(share.share, "", policy=plan),
            PaymentRequest("40.00", "debit"),
        ],
        by=week.cast.front_desk,
    )
    assert result.receipt is not None and result.totals.balance == 0
    insurer = Payment.objects.get(policy=plan)
    assert insurer.method == "insurer" and insurer.payer == "insurer"


def test_cash_out_adds_up_each_method_with_refunds_taken_off(
    taxed: ClinicWeek, signed_in: Any
) -> None:
    visit = arrived_now(taxed)
    result = check_out_visit(
        visit,
        payments=[PaymentRequest("100.00", "credit"), PaymentRequest("35.60", "cash")],
        by=taxed.cast.front_desk,
    )
    actions.refund(
        result.invoice,
        amount_refunded="10.00",
        method="cash",
        reason="Goodwill",
        by=taxed.cast.front_desk,
    )
    today = timezone.localdate(timezone=taxed.practice.zone)
    rows, total = cash_out(taxed.practice, today)
    assert [(row.method, row.payments, row.refunds, row.total) for row in rows] == [
        ("cash", 1, 1, Decimal("25.60")),
        ("credit", 1, 0, Decimal("100.00")),
    ]
    assert total == Decimal("125.60")
    page = signed_in(taxed.cast.front_desk).get("/staff/cash-out/").content.decode()
    assert "$125.60" in page
    assert signed_in(taxed.maya.user).get("/staff/cash-out/").status_code == 403
