"""Remaining extended-health coverage this year: insurer direct payments, plus the plan's share
of treatments receipted to the client."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fascia.billing.actions import invoice_appointment, record_payment
from fascia.billing.coverage import client_coverage, coverage_year
from fascia.billing.models import InsurancePolicy
from fascia.billing.receipts import issue_receipt
from fascia.billing.tests.test_billing import AFTER, completed_visit
from fascia.scheduling.tests.conftest import ClinicWeek


def policy(week: ClinicWeek, **changes: object) -> InsurancePolicy:
    values: dict[str, object] = {
        "practice": week.practice,
        "client": week.client,
        "insurer": "Sun Life",
        "member_id": "A123",
        "subscriber_name": "Casey Mapleclient",
        "relationship": "self",
        "year_starts": date(2020, 1, 1),
        "annual_maximum": Decimal("500.00"),
        "per_visit_maximum": Decimal("80.00"),
        "percent_covered": Decimal("80"),
    }
    values.update(changes)
    return InsurancePolicy.objects.create(**values)


def test_coverage_years_roll_on_their_start_date() -> None:
    july = InsurancePolicy(year_starts=date(2019, 7, 1))
    assert coverage_year(july, date(2031, 3, 3)) == (date(2030, 7, 1), date(2031, 6, 30))
    assert coverage_year(july, date(2031, 7, 1)) == (date(2031, 7, 1), date(2032, 6, 30))
    leap = InsurancePolicy(year_starts=date(2020, 2, 29))
    assert coverage_year(leap, date(2031, 3, 3))[0] == date(2031, 2, 28)


def test_remaining_coverage_updates_with_claims_and_direct_payments(week: ClinicWeek) -> None:
    plan = policy(week)
    (before,) = client_coverage(week.client, date(2031, 3, 3))
    assert (before.used, before.remaining) == (Decimal("0.00"), Decimal("500.00"))
    # Paid by the client and receipted: the plan will pay 80% of $120, capped at $80.
    first = invoice_appointment(completed_visit(week, 10), now=AFTER)
    record_payment(first, amount_paid="120.00", method="debit", now=AFTER)
    issue_receipt(first, now=AFTER)
    # Paid directly by the insurer under the policy, the rest by the client.
    second = invoice_appointment(completed_visit(week, 14), now=AFTER)
    record_payment(second, amount_paid="70.00", method="insurer", policy=plan, now=AFTER)
    record_payment(second, amount_paid="50.00", method="cash", now=AFTER)
    (after,) = client_coverage(week.client, date(2031, 3, 3))
    assert (after.used, after.remaining) == (Decimal("150.00"), Decimal("350.00"))
    # A new coverage year starts fresh.
    (next_year,) = client_coverage(week.client, date(2032, 1, 2))
    assert next_year.remaining == Decimal("500.00")


def test_coverage_through_the_api(week: ClinicWeek) -> None:
    from fascia.api.tests.test_booking_api import bearer

    policy(week, annual_maximum=Decimal("600.00"))
    mine = bearer(week.client.user).get(f"/api/v1/clients/{week.client.pk}/coverage").json()
    assert mine[0]["insurer"] == "Sun Life" and mine[0]["remaining"] == "600.00"
    books = bearer(week.cast.bookkeeper).get(f"/api/v1/clients/{week.client.pk}/coverage")
    assert books.status_code == 200
    from fascia.accounts.models import User

    week.other_client.user = User.objects.create_user(
        "robin@example.com", "a-long-password-1", email_verified_at=timezone.now()
    )
    week.other_client.save()
    other = bearer(week.other_client.user)
    assert other.get(f"/api/v1/clients/{week.client.pk}/coverage").status_code == 404


def test_owners_keep_policies_and_claims_in_the_admin(week: ClinicWeek, signed_in: Any) -> None:
    owner = signed_in(week.cast.owner)
    policy(week)
    listing = owner.get("/admin/billing/insurancepolicy/").content.decode()
    assert "Sun Life" in listing
    assert owner.get("/admin/billing/thirdpartyclaim/add/").status_code == 200
    assert signed_in(week.cast.front_desk).get("/admin/billing/insurancepolicy/").status_code == 302
