"""Therapist pay, worked out by hand: a 60% split of treatments with 70% for the therapist's
own clients, a fixed fee per hour, product sales left out unless a rule covers them, on the
accrual basis (invoiced) and the cash basis (received, with a refund taking its share back);
and rules that would overlap are refused."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fascia.billing.actions import LineRequest, invoice_appointment, record_payment, refund
from fascia.billing.models import LineKind
from fascia.pay.models import CompensationRule
from fascia.pay.report import CASH, pay_report
from fascia.pay.rules import add_compensation_rule, end_compensation_rule
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at

MARCH = (date(2031, 3, 1), date(2031, 3, 31))
JANUARY_FIRST = date(2031, 1, 1)


def completed(week: ClinicWeek, hour: int, **changes: Any) -> Any:
    visit = book_appointment(
        week.practice, week.request(at(MONDAY, hour), **changes), now=NOW
    ).appointment
    set_attendance(visit, "completed", now=at(MONDAY, hour, 50))
    visit.refresh_from_db()
    return visit


@pytest.fixture
def month(week: ClinicWeek) -> dict[str, Any]:
    week.practice.tax_number = "123456789RT0001"
    week.practice.save()
    week.other_client.brought_by = week.maya  # Maya's own client
    week.other_client.save()
    owner = week.cast.owner
    add_compensation_rule(week.maya, basis="split", percent="60", starts_on=JANUARY_FIRST, by=owner)
    add_compensation_rule(
        week.maya, basis="split", percent="70", own_clients=True, starts_on=JANUARY_FIRST, by=owner
    )
    add_compensation_rule(
        week.dan, basis="per_hour", amount="45", starts_on=JANUARY_FIRST, by=owner
    )
    with_product = invoice_appointment(
        completed(week, 10),
        extra_lines=[LineRequest(LineKind.PRODUCT, "Foam roller", Decimal("30.00"))],
        now=at(MONDAY, 11),
    )
    own = invoice_appointment(completed(week, 12, client=week.other_client), now=at(MONDAY, 13))
    dans = invoice_appointment(completed(week, 14, therapist=week.dan), now=at(MONDAY, 15))
    # Half of the first invoice ($169.50 with HST) is paid; the own client's in full, then
    # half refunded; Dan's client pays in April.
    record_payment(with_product, amount_paid="84.75", method="debit", now=at(MONDAY, 11))
    record_payment(own, amount_paid="135.60", method="debit", now=at(MONDAY, 13))
    refund(own, amount_refunded="67.80", method="debit", reason="Goodwill", now=at(MONDAY, 16))
    record_payment(dans, amount_paid="135.60", method="cash", now=at(date(2031, 4, 2), 10))
    return {"week": week, "invoices": (with_product, own, dans)}


def test_accrual_pay_is_the_split_of_what_was_invoiced(month: dict[str, Any]) -> None:
    week = month["week"]
    report = {pay.therapist.pk: pay for pay in pay_report(week.practice, *MARCH)}
    maya, dan = report[week.maya.pk], report[week.dan.pk]
    # 60% of $120 for Casey, 70% of $120 for Maya's own client; the foam roller is no one's.
    assert [(line.income, line.pay) for line in maya.lines] == [
        (Decimal("120.00"), Decimal("72.00")),
        (Decimal("120.00"), Decimal("84.00")),
    ]
    assert maya.pay == Decimal("156.00") and maya.income == Decimal("240.00")
    assert [line.rule_text for line in maya.lines] == [
        "60% of treatments",
        "70% of treatments · own clients",
    ]
    (dans,) = dan.lines
    assert dans.pay == Decimal("45.00")  # one hour at $45


def test_cash_pay_follows_the_money_received(month: dict[str, Any]) -> None:
    week = month["week"]
    report = {pay.therapist.pk: pay for pay in pay_report(week.practice, *MARCH, basis=CASH)}
    maya, dan = report[week.maya.pk], report[week.dan.pk]
    # Half of Casey's visit paid: $60 of treatment earns $36; the own client's $84, less the
    # half refunded ($42).
    assert [line.pay for line in maya.lines] == [
        Decimal("36.00"),
        Decimal("84.00"),
        Decimal("-42.00"),
    ]
    assert maya.pay == Decimal("78.00")
    assert dan.lines == []  # paid in April
    april = pay_report(
        week.practice, date(2031, 4, 1), date(2031, 4, 30), basis=CASH, therapist=week.dan
    )
    assert april[0].pay == Decimal("45.00")


def test_products_count_only_under_a_rule_for_them(month: dict[str, Any]) -> None:
    week = month["week"]
    add_compensation_rule(
        week.maya,
        basis="split",
        category="products",
        percent="10",
        starts_on=JANUARY_FIRST,
        by=week.cast.owner,
    )
    (maya,) = pay_report(week.practice, *MARCH, therapist=week.maya)
    assert Decimal("3.00") in [line.pay for line in maya.lines]  # 10% of the $30 roller
    assert maya.pay == Decimal("159.00")


def test_rules_that_overlap_are_refused(week: ClinicWeek) -> None:
    owner = week.cast.owner
    first = add_compensation_rule(
        week.maya, basis="split", percent="60", starts_on=JANUARY_FIRST, by=owner
    )
    with pytest.raises(ValidationError, match="overlaps “60% of treatments”"):
        add_compensation_rule(
            week.maya, basis="per_visit", amount="50", starts_on=date(2031, 2, 1), by=owner
        )
    end_compensation_rule(first, last_day=date(2031, 1, 31), by=owner)
    with pytest.raises(ValidationError, match="overlaps"):
        add_compensation_rule(
            week.maya, basis="split", percent="65", starts_on=date(2031, 1, 31), by=owner
        )
    later = add_compensation_rule(
        week.maya, basis="split", percent="65", starts_on=date(2031, 2, 1), by=owner
    )
    assert later.percent == Decimal("65")
    # A rule for one service is a different scope: it may run alongside.
    add_compensation_rule(
        week.maya,
        basis="split",
        percent="50",
        service=week.service,
        starts_on=date(2031, 2, 1),
        by=owner,
    )
    for bad, message in (
        ({"basis": "split", "percent": "120"}, "between 0% and 100%"),
        ({"basis": "split", "percent": "abc"}, "must be a number"),
        ({"basis": "per_visit", "amount": "0"}, "more than \\$0.00"),
        ({"basis": "per_hour", "amount": "40", "category": "products"}, "per visit or hour"),
        ({"basis": "split", "percent": "50", "ends_on": date(2030, 1, 1)}, "end before"),
    ):
        with pytest.raises(ValidationError, match=message):
            add_compensation_rule(week.dan, starts_on=JANUARY_FIRST, by=owner, **bad)
    assert CompensationRule.objects.filter(therapist=week.dan).count() == 0


def test_the_pay_pages(month: dict[str, Any], signed_in: Any) -> None:
    week = month["week"]
    owner = signed_in(week.cast.owner)
    page = owner.get(
        reverse("pay:report"), {"start": "2031-03-01", "end": "2031-03-31", "basis": "accrual"}
    )
    text = page.content.decode()
    assert "$156.00" in text and "$45.00" in text and "70% of treatments · own clients" in text
    exported = owner.get(
        reverse("pay:report"),
        {"start": "2031-03-01", "end": "2031-03-31", "basis": "cash", "csv": "1"},
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][0] == "Therapist"
    totals = {row[0]: row[-1] for row in rows[1:] if row[4] == "Total"}
    assert totals[week.maya.display_name] == "78.00"
    # A therapist sees only their own pay; the front desk none.
    own = signed_in(week.cast.therapist_user).get(
        reverse("pay:report"), {"start": "2031-03-01", "end": "2031-03-31", "basis": "accrual"}
    )
    assert "$156.00" in own.content.decode() and "Dan Okafor" not in own.content.decode()
    assert signed_in(week.cast.front_desk).get(reverse("pay:report")).status_code == 403
    # The owner adds a rule on the rules page; an overlapping one comes back with its reason.
    added = owner.post(
        reverse("pay:rules"),
        {
            "therapist": week.dan.pk,
            "basis": "split",
            "category": "travel",
            "percent": "100",
            "starts_on": "2031-01-01",
        },
    )
    assert added.status_code == 302
    refused = owner.post(
        reverse("pay:rules"),
        {
            "therapist": week.dan.pk,
            "basis": "per_visit",
            "category": "treatments",
            "amount": "40",
            "starts_on": "2031-02-01",
        },
    )
    assert "overlaps" in refused.content.decode()
    assert signed_in(week.cast.bookkeeper).get(reverse("pay:rules")).status_code == 403
