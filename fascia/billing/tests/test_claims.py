"""Motor-vehicle and WSIB claims: invoices to the claim, what is left of the approval, the
warning before a visit goes beyond it; and the claim-ready data of a visit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from fascia.billing.actions import invoice_appointment, record_payment
from fascia.billing.claims import claim_data, claim_use
from fascia.billing.errors import BillingError
from fascia.billing.models import ThirdPartyClaim
from fascia.billing.tests.test_billing import AFTER, completed_visit
from fascia.billing.tests.test_coverage import policy
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at


def auto_claim(week: ClinicWeek, **changes: Any) -> ThirdPartyClaim:
    values: dict[str, Any] = {
        "practice": week.practice,
        "client": week.client,
        "kind": "auto",
        "payer": "Intact Insurance",
        "claim_number": "AB-1234",
        "plan_submitted_by": "Jo Physio, PT",
        "approved_visits": 1,
        "approved_amount": Decimal("150.00"),
        "starts_on": date(2031, 1, 1),
    }
    values.update(changes)
    return ThirdPartyClaim.objects.create(**values)


def test_a_claim_is_billed_and_its_approval_tracked(week: ClinicWeek) -> None:
    claim = auto_claim(week)
    invoice = invoice_appointment(completed_visit(week, 10), claim=claim, now=AFTER)
    record_payment(
        invoice,
        amount_paid="120.00",
        method="e_transfer",
        payer="third_party",
        payer_name="Intact Insurance",
        now=AFTER,
    )
    use = claim_use(claim)
    assert (use.visits_left, use.amount_left) == (0, Decimal("30.00"))
    beyond = book_appointment(week.practice, week.request(at(MONDAY, 14)), now=NOW)
    assert any("goes beyond the approval" in warning for warning in beyond.warnings)
    visit = book_appointment(
        week.practice, week.request(at(MONDAY, 16), client=week.other_client), now=NOW
    ).appointment
    set_attendance(visit, "completed", now=at(MONDAY, 17))
    visit.refresh_from_db()
    with pytest.raises(BillingError, match="not an active claim of this client"):
        invoice_appointment(visit, claim=claim, now=AFTER)


def test_claim_ready_data_for_direct_billing(week: ClinicWeek) -> None:
    plan = policy(week, plan_number="G-77")
    invoice = invoice_appointment(completed_visit(week, 10), now=AFTER)
    data = claim_data(invoice, plan)
    assert data["provider"]["registration_number"] == week.maya.registration_number
    assert data["coverage"] == {
        "insurer": "Sun Life",
        "plan_number": "G-77",
        "member_id": "A123",
        "subscriber": "Casey Mapleclient",
        "relationship": "self",
    }
    assert data["service"] == {
        "date": "2031-03-03",
        "description": week.service.name,
        "modality": week.service.modality,
        "minutes": 60,
    }
    assert data["amounts"]["total"] == "120.00"
