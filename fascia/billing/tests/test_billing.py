"""Invoices, split payments, refunds and receipts: to the cent, and only for treatment given
and paid."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from fascia.billing.actions import (
    LineRequest,
    client_balance,
    invoice_appointment,
    invoice_sale,
    record_payment,
    refund,
)
from fascia.billing.errors import BillingError, ReceiptRefused
from fascia.billing.models import Invoice, LineKind, Receipt
from fascia.billing.money import AmountError, amount, cents
from fascia.billing.receipts import correct_receipt, issue_receipt, receipt_pdf
from fascia.billing.totals import totals
from fascia.scheduling.attendance import cancel_appointment, set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at

AFTER = at(MONDAY, 12)


def completed_visit(week: ClinicWeek, hour: int = 10) -> Any:
    visit = book_appointment(week.practice, week.request(at(MONDAY, hour)), now=NOW).appointment
    set_attendance(visit, "completed", now=at(MONDAY, hour, 30))
    visit.refresh_from_db()
    return visit


@pytest.fixture
def registered(week: ClinicWeek) -> ClinicWeek:
    week.practice.tax_number = "123456789 RT0001"
    week.practice.street, week.practice.city, week.practice.postal_code = (
        "24 Queen St W",
        "Brampton",
        "L6Y 1L9",
    )
    week.practice.save()
    return week


def test_a_visit_is_invoiced_with_hst_when_the_practice_is_registered(
    registered: ClinicWeek,
) -> None:
    visit = completed_visit(registered)
    invoice = invoice_appointment(visit, now=AFTER)
    (line,) = invoice.lines.all()
    assert (line.kind, line.in_scope, line.unit_price, line.tax) == (
        LineKind.TREATMENT,
        True,
        Decimal("120.00"),
        Decimal("15.60"),
    )
    assert totals(invoice).total == Decimal("135.60")
    with pytest.raises(BillingError, match="already invoiced"):
        invoice_appointment(visit, now=AFTER)


def test_an_unregistered_small_supplier_charges_no_tax(week: ClinicWeek) -> None:
    invoice = invoice_appointment(completed_visit(week), now=AFTER)
    assert (totals(invoice).tax, invoice.tax_number) == (Decimal("0.00"), "")


def test_split_payment_then_receipt_pdf_with_every_required_field(
    registered: ClinicWeek,
) -> None:
    invoice = invoice_appointment(completed_visit(registered), now=AFTER)
    with pytest.raises(ReceiptRefused, match=r"\$135.60 is still owing"):
        issue_receipt(invoice, now=AFTER)
    record_payment(invoice, amount_paid="35.60", method="debit", now=AFTER)
    with pytest.raises(BillingError, match=r"more than the \$100.00 owing"):
        record_payment(invoice, amount_paid="100.01", method="debit", now=AFTER)
    record_payment(
        invoice,
        amount_paid="100.00",
        method="insurer",
        payer="insurer",
        payer_name="Sun Life",
        now=AFTER,
    )
    receipt = issue_receipt(invoice, now=AFTER)
    text = " ".join(
        " ".join(page.extract_text().split())  # the PDF wraps long cells
        for page in PdfReader(io.BytesIO(receipt_pdf(receipt))).pages
    )
    for required in (
        "Maple Massage",  # practice name
        "24 Queen St W",  # and address
        "HST number: 123456789 RT0001",
        f"{registered.maya.display_name}, RMT",  # therapist's full name
        "CMTO registration number",
        registered.maya.registration_number,
        f"Electronically signed by {registered.maya.display_name}",
        registered.client.legal_name,
        "March 3, 2031 at 10:00 AM",  # date and time
        "60 minutes",
        "Massage therapy treatment",
        "$120.00",  # fee
        "$15.60",  # tax
        "$135.60",  # amount paid
        "Debit",
        "Sun Life",
        f"Receipt {receipt.number}",
    ):
        assert required in text, required
    duplicate = issue_receipt(invoice, now=AFTER + timedelta(days=30))
    assert (duplicate.kind, duplicate.number) == ("duplicate", receipt.number)
    dup_text = PdfReader(io.BytesIO(receipt_pdf(duplicate))).pages[0].extract_text()
    assert "DUPLICATE" in dup_text and "March 3, 2031 at 10:00 AM" in dup_text


def test_no_receipt_for_a_future_cancelled_or_missed_visit(week: ClinicWeek) -> None:
    future = book_appointment(week.practice, week.request(at(MONDAY, 14)), now=NOW).appointment
    with pytest.raises(BillingError, match="nothing to bill"):
        invoice_appointment(future, now=NOW)
    missed = book_appointment(
        week.practice, week.request(at(MONDAY, 10), client=week.other_client), now=NOW
    ).appointment
    set_attendance(missed, "no_show", now=at(MONDAY, 10, 20))
    missed.refresh_from_db()
    fee = invoice_appointment(missed, now=AFTER)
    (line,) = fee.lines.all()
    assert (line.kind, line.in_scope, line.unit_price) == (
        LineKind.NO_SHOW,
        False,
        Decimal("60.00"),
    )
    record_payment(fee, amount_paid="60.00", method="credit", now=AFTER)
    receipt = issue_receipt(fee, now=AFTER)
    assert receipt.content["therapist"]["registration_number"] == ""  # not a treatment
    assert receipt.content["lines"][0]["label"] == "Missed-appointment fee"
    cancelled = book_appointment(week.practice, week.request(at(MONDAY, 16)), now=NOW).appointment
    cancel_appointment(cancelled, as_staff=True, now=NOW)
    cancelled.refresh_from_db()
    with pytest.raises(BillingError, match="nothing to bill"):
        invoice_appointment(cancelled, now=AFTER)


def test_a_correction_keeps_both_receipts_and_issued_receipts_never_change(
    registered: ClinicWeek,
) -> None:
    invoice = invoice_appointment(completed_visit(registered), now=AFTER)
    record_payment(invoice, amount_paid="135.60", method="cash", now=AFTER)
    first = issue_receipt(invoice, now=AFTER)
    with pytest.raises(DatabaseError, match="issued receipts never change"), transaction.atomic():
        Receipt.objects.filter(pk=first.pk).update(content={})
    corrected = correct_receipt(first, reason="Client's legal name misspelled", now=AFTER)
    assert corrected.kind == "correction" and corrected.number == first.number + 1
    assert corrected.content["replaces"] == first.number
    first.refresh_from_db()
    text = PdfReader(io.BytesIO(receipt_pdf(first))).pages[0].extract_text()
    assert "CANCELLED" in text and f"replaced by receipt {corrected.number}" in text
    assert Receipt.objects.count() == 2


def test_refunds_never_exceed_what_was_paid(week: ClinicWeek) -> None:
    invoice = invoice_appointment(completed_visit(week), now=AFTER)
    record_payment(invoice, amount_paid="50.00", method="cash", now=AFTER)
    with pytest.raises(BillingError, match=r"more than the \$50.00 paid"):
        refund(invoice, amount_refunded="50.01", method="cash", reason="Overcharged", now=AFTER)
    refund(invoice, amount_refunded="20.00", method="cash", reason="Overcharged", now=AFTER)
    assert totals(invoice).balance == Decimal("90.00")


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        ("-5", "cannot be negative"),
        ("10.005", "fractions of a cent"),
        ("ten", "must be a number"),
        ("0", r"more than \$0\.00"),
    ],
)
def test_bad_amounts_are_refused(entered: str, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        amount(entered)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prices=st.lists(st.integers(0, 50_000), min_size=1, max_size=4),
    discount_share=st.integers(0, 100),
    payments=st.lists(st.integers(1, 20_000), max_size=4),
    registered=st.booleans(),
)
def test_lines_plus_tax_minus_payments_is_the_balance(
    week: ClinicWeek,
    prices: list[int],
    discount_share: int,
    payments: list[int],
    registered: bool,
) -> None:
    with transaction.atomic():
        week.practice.tax_number = "123456789 RT0001" if registered else ""
        week.practice.save()
        visit = completed_visit(week)
        extra = [
            LineRequest(
                LineKind.PRODUCT,
                f"Product {n}",
                Decimal(cents_) / 100,
                discount=cents(Decimal(cents_) / 100 * discount_share / 100),
            )
            for n, cents_ in enumerate(prices)
        ]
        invoice = invoice_appointment(visit, extra_lines=extra, now=AFTER)
        for paid in payments:
            owing = totals(invoice).balance
            if owing <= 0:
                break
            record_payment(
                invoice, amount_paid=min(Decimal(paid) / 100, owing), method="cash", now=AFTER
            )
        sums = totals(invoice)
        lines = list(invoice.lines.all())
        assert sums.total == sum(
            line.unit_price * line.quantity - line.discount + line.tax for line in lines
        )
        assert sums.balance == sums.total - sum(p.signed_amount for p in invoice.payments.all())
        assert sums.balance >= 0
        assert all(line.tax == cents(line.net * line.tax_rate) for line in lines)
        transaction.set_rollback(True)
    assert not Invoice.objects.exists()


def test_products_and_gift_cards_are_sold_and_receipted_as_what_they_are(
    registered: ClinicWeek,
) -> None:

    sale = invoice_sale(
        registered.client,
        lines=[
            LineRequest(LineKind.PRODUCT, "Foam roller", Decimal("30.00")),
            LineRequest(LineKind.GIFT_CARD, "Gift card", Decimal("100.00"), taxable=False),
        ],
        now=AFTER,
    )
    assert totals(sale).total == Decimal("133.90")  # HST on the roller only
    assert client_balance(registered.client) == Decimal("133.90")
    with pytest.raises(BillingError, match="invoiced from their visit"):
        invoice_sale(
            registered.client,
            lines=[LineRequest(LineKind.TREATMENT, "Massage", Decimal("120.00"), in_scope=True)],
        )
    record_payment(sale, amount_paid="133.90", method="credit", now=AFTER)
    receipt = issue_receipt(sale, now=AFTER)
    assert [line["label"] for line in receipt.content["lines"]] == ["Product", "Gift card"]
    assert receipt.content["therapist"]["registration_number"] == ""
    assert client_balance(registered.client) == Decimal("0.00")
