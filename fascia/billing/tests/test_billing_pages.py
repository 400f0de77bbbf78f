"""The front desk invoices a visit, takes a split payment (client and insurer) and prints the
receipt from the client's billing page; the therapist cannot."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fascia.billing.coverage import client_coverage
from fascia.billing.models import Invoice, Receipt
from fascia.billing.tests.conftest import billing_post
from fascia.billing.tests.test_coverage import policy
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at


def completed_last_week(week: ClinicWeek, hour: int = 10, **changes: Any) -> Any:
    """A visit completed a week ago (the pages run on today's clock)."""
    visit = book_appointment(
        week.practice, week.request(at(MONDAY, hour), **changes), now=NOW
    ).appointment
    last_week = timezone.now() - timedelta(days=7, hours=12 - hour)
    Appointment.objects.filter(pk=visit.pk).update(
        starts_at=last_week,
        ends_at=last_week + timedelta(hours=1),
        busy_from=last_week,
        busy_until=last_week + timedelta(hours=1, minutes=10),
    )
    visit.refresh_from_db()
    set_attendance(visit, "completed")
    visit.refresh_from_db()
    return visit


def test_invoice_split_payment_and_receipt_on_the_billing_page(
    week: ClinicWeek, signed_in: Any
) -> None:
    visit = completed_last_week(week)
    plan = policy(week, year_starts=timezone.localdate().replace(month=1, day=1))
    desk = signed_in(week.cast.front_desk)
    url = f"/staff/clients/{week.client.pk}/billing/"
    page = billing_post(desk, url, {"action": "invoice", "appointment": visit.pk}, follow=True)
    assert "Invoice 1 created: $120.00." in page.content.decode()
    invoice = Invoice.objects.get()
    billing_post(
        desk, url, {"action": "pay", "invoice": invoice.pk, "amount": "40.00", "method": "debit"}
    )
    over = billing_post(
        desk,
        url,
        {"action": "pay", "invoice": invoice.pk, "amount": "90.00", "method": "cash"},
        follow=True,
    )
    assert "more than the $80.00 owing" in over.content.decode()
    billing_post(
        desk,
        url,
        {
            "action": "pay",
            "invoice": invoice.pk,
            "amount": "80.00",
            "method": "insurer",
            "paid_by": plan.pk,
        },
    )
    done = billing_post(desk, url, {"action": "receipt", "invoice": invoice.pk}, follow=True)
    assert "Receipt 1 issued (original)." in done.content.decode()
    receipt = Receipt.objects.get()
    pdf = desk.get(f"/staff/receipts/{receipt.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    (coverage,) = client_coverage(week.client)
    assert coverage.used == Decimal("80.00")
    assert "$420.00" in desk.get(url).content.decode()  # left of $500
    assert signed_in(week.maya.user).get(url).status_code == 403


def test_the_billing_screen_only_shows_each_button_posts_to_its_own_url(
    week: Any, signed_in: Any
) -> None:
    url = f"/staff/clients/{week.client.pk}/billing/"
    desk = signed_in(week.cast.front_desk)
    assert desk.get(url).status_code == 200
    assert desk.post(url, {"action": "void", "invoice": 1}).status_code == 405
    assert desk.get(url + "invoices/1/cancel/").status_code == 405
