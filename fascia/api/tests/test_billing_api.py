"""Billing through the API: invoice, split payment, receipt PDF; refusals with reasons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from fascia.api.tests.test_booking_api import bearer, post
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at


def test_invoice_split_payment_and_receipt_through_the_api(week: ClinicWeek, client: Any) -> None:
    visit = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment
    desk = bearer(week.cast.front_desk)
    early = post(desk, f"/api/v1/appointments/{visit.pk}/invoice", {})
    assert early.status_code == 422 and "nothing to bill" in early.json()["detail"]
    # The API runs on today's clock: the visit took place last week.
    last_week = timezone.now() - timedelta(days=7)
    Appointment.objects.filter(pk=visit.pk).update(
        starts_at=last_week,
        ends_at=last_week + timedelta(hours=1),
        busy_from=last_week,
        busy_until=last_week + timedelta(hours=1, minutes=10),
    )
    visit.refresh_from_db()
    set_attendance(visit, "completed")
    invoice = post(desk, f"/api/v1/appointments/{visit.pk}/invoice", {}).json()
    assert invoice["balance"] == "120.00"
    bookkeeper = bearer(week.cast.bookkeeper)
    paid = post(
        bookkeeper,
        f"/api/v1/invoices/{invoice['id']}/payments",
        {"amount": "20.00", "method": "debit"},
    )
    assert paid.status_code == 201 and paid.json()["balance"] == "100.00"
    refused = post(desk, f"/api/v1/invoices/{invoice['id']}/receipt", {})
    assert refused.status_code == 409 and "still owing" in refused.json()["detail"]
    over = post(
        desk, f"/api/v1/invoices/{invoice['id']}/payments", {"amount": "100.001", "method": "cash"}
    )
    assert over.status_code == 422 and "fractions of a cent" in over.json()["detail"]
    post(
        desk,
        f"/api/v1/invoices/{invoice['id']}/payments",
        {"amount": "100.00", "method": "insurer", "payer": "insurer", "payer_name": "Manulife"},
    )
    receipt = post(desk, f"/api/v1/invoices/{invoice['id']}/receipt", {})
    assert receipt.status_code == 201, receipt.content
    pdf = desk.get(receipt.json()["pdf"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    mine = bearer(week.client.user).get(receipt.json()["pdf"])
    assert mine.status_code == 200
    assert bearer(week.cast.therapist_user).get(receipt.json()["pdf"]).status_code == 404
    therapist = bearer(week.maya.user)
    assert (
        post(
            therapist,
            f"/api/v1/invoices/{invoice['id']}/payments",
            {"amount": "1.00", "method": "cash"},
        ).status_code
        == 403
    )


def test_refund_cancel_and_email_through_the_api(week: ClinicWeek) -> None:
    from fascia.billing.tests.test_billing_pages import completed_last_week
    from fascia.notifications.models import OutboundMessage

    visit = completed_last_week(week)
    desk = bearer(week.cast.front_desk)
    invoice = post(desk, f"/api/v1/appointments/{visit.pk}/invoice", {}).json()
    post(
        desk, f"/api/v1/invoices/{invoice['id']}/payments", {"amount": "120.00", "method": "debit"}
    )
    receipt = post(desk, f"/api/v1/invoices/{invoice['id']}/receipt", {}).json()
    emailed = post(desk, f"/api/v1/receipts/{receipt['id']}/email", {})
    assert emailed.status_code == 202
    assert OutboundMessage.objects.get().attachment == f"receipt:{receipt['id']}"

    early = post(desk, f"/api/v1/invoices/{invoice['id']}/cancel", {"reason": "Wrong visit"})
    assert early.status_code == 422 and "refund it before cancelling" in early.json()["detail"]
    too_much = post(
        desk,
        f"/api/v1/invoices/{invoice['id']}/refunds",
        {"amount": "500.00", "method": "debit", "reason": "Wrong visit"},
    )
    assert too_much.status_code == 422 and "more than the $120.00 paid" in too_much.json()["detail"]
    back = post(
        desk,
        f"/api/v1/invoices/{invoice['id']}/refunds",
        {"amount": "120.00", "method": "debit", "reason": "Wrong visit"},
    )
    assert back.status_code == 201 and back.json()["paid"] == "0.00"
    credit = post(desk, f"/api/v1/invoices/{invoice['id']}/cancel", {"reason": "Wrong visit"})
    assert credit.status_code == 201 and credit.json()["amount"] == "120.00"
    after = desk.get(f"/api/v1/invoices/{invoice['id']}").json()
    assert after["cancelled_by_credit_note"] == credit.json()["number"]
    again = post(desk, f"/api/v1/appointments/{visit.pk}/invoice", {})
    assert again.status_code == 201 and again.json()["number"] == invoice["number"] + 1
