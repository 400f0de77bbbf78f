"""When money goes back or an invoice was wrong: refunds withdraw the receipt they contradict,
credit notes cancel invoices (numbered, final, and the visit can be invoiced again), receipts
go out by email as PDFs, and the front desk keeps policies and sells products on the screen."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import DatabaseError, transaction
from pypdf import PdfReader

from fascia.audit.models import AuditEntry
from fascia.billing.actions import (
    LineRequest,
    client_balance,
    invoice_appointment,
    invoice_sale,
    record_payment,
    refund,
    void_invoice,
)
from fascia.billing.errors import BillingError
from fascia.billing.models import CreditNote, Invoice, LineKind, Receipt
from fascia.billing.policies import save_insurance_policy
from fascia.billing.receipts import email_receipt, issue_receipt, receipt_pdf, receipts_in_force
from fascia.billing.statements import account_statement
from fascia.billing.tests.conftest import billing_post
from fascia.billing.tests.test_billing import AFTER, completed_visit
from fascia.billing.tests.test_billing_pages import completed_last_week
from fascia.billing.totals import totals
from fascia.notifications.outbox import deliver_due_messages
from fascia.scheduling.tests.conftest import ClinicWeek


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())  # lines wrap where the page ends them


def paid_and_receipted(week: ClinicWeek) -> Invoice:
    invoice = invoice_appointment(completed_visit(week), now=AFTER)
    record_payment(invoice, amount_paid="120.00", method="debit", now=AFTER)
    issue_receipt(invoice, now=AFTER)
    return invoice


def test_a_refund_withdraws_the_receipt_it_contradicts(week: ClinicWeek) -> None:
    invoice = paid_and_receipted(week)
    (first,) = receipts_in_force(invoice)
    refund(invoice, amount_refunded="20.00", method="debit", reason="Overcharged", now=AFTER)
    assert receipts_in_force(invoice) == []
    first.refresh_from_db()
    assert first.cancellation.reason == "Refund of $20.00: Overcharged"
    assert "withdrawn (Refund of $20.00: Overcharged)" in pdf_text(receipt_pdf(first))
    with pytest.raises(BillingError, match=r"\$20.00 is still owing"):
        issue_receipt(invoice, now=AFTER)
    record_payment(invoice, amount_paid="20.00", method="cash", now=AFTER)
    again = issue_receipt(invoice, now=AFTER)
    assert again.kind == "original" and again.number == first.number + 1
    assert Receipt.objects.filter(invoice=invoice).count() == 2  # both kept


def test_a_credit_note_cancels_an_invoice_once_its_money_is_refunded(week: ClinicWeek) -> None:
    invoice = paid_and_receipted(week)
    with pytest.raises(BillingError, match=r"\$120.00 has been paid .* refund it"):
        void_invoice(invoice, reason="Wrong service", now=AFTER)
    with pytest.raises(BillingError, match="reason"):
        void_invoice(invoice, reason=" ", now=AFTER)
    refund(invoice, amount_refunded="120.00", method="debit", reason="Wrong service", now=AFTER)
    credit = void_invoice(invoice, reason="Wrong service", by=week.cast.front_desk, now=AFTER)
    invoice.refresh_from_db()
    assert invoice.voided_at is not None
    assert (credit.number, credit.amount, credit.reason) == (1, Decimal("120.00"), "Wrong service")
    with pytest.raises(BillingError, match="already cancelled"):
        void_invoice(invoice, reason="Again", now=AFTER)
    with pytest.raises(BillingError, match="void"):
        record_payment(invoice, amount_paid="1.00", method="cash", now=AFTER)
    assert AuditEntry.objects.filter(detail__startswith="cancelled by credit note 1").exists()

    assert invoice.appointment is not None
    redone = invoice_appointment(invoice.appointment, discount=Decimal("20.00"), now=AFTER)
    assert redone.number == invoice.number + 1 and totals(redone).total == Decimal("100.00")
    statement = account_statement(week.client)
    assert "Credit note 1 (cancels invoice 1)" in [entry.description for entry in statement]
    assert statement[-1].balance == Decimal("100.00") == client_balance(week.client)

    with pytest.raises(DatabaseError), transaction.atomic():
        CreditNote.objects.filter(pk=credit.pk).update(amount=Decimal("1.00"))


def test_a_receipt_is_emailed_as_a_pdf_through_the_outbox(week: ClinicWeek) -> None:
    invoice = paid_and_receipted(week)
    (receipt,) = receipts_in_force(invoice)
    queued = email_receipt(receipt, by=week.cast.front_desk)
    assert queued.to == "client@maple.test" and queued.attachment == f"receipt:{receipt.pk}"
    assert deliver_due_messages() == 1
    (sent,) = mail.outbox
    assert sent.subject == "Your receipt from Maple Massage"
    name, content, mimetype = sent.attachments[0]
    assert name == f"receipt-{receipt.number}.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", detail__contains="emailed to").exists()

    week.client.email = ""
    week.client.save()
    receipt.refresh_from_db()
    with pytest.raises(BillingError, match="no email address"):
        email_receipt(receipt)
    with pytest.raises(BillingError, match="not an email address"):
        email_receipt(receipt, to="casey at home")


def test_policies_are_checked_and_gift_cards_never_taxed(week: ClinicWeek) -> None:
    fields: dict[str, Any] = {
        "insurer": "Green Shield",
        "member_id": "GS1",
        "subscriber_name": "Casey Mapleclient",
        "relationship": "self",
        "year_starts": AFTER.date(),
        "annual_maximum": "750.00",
        "percent_covered": "80",
    }
    policy = save_insurance_policy(week.client, by=week.cast.front_desk, **fields)
    assert policy.annual_maximum == Decimal("750.00") and policy.is_active
    for wrong, message in (
        ({"annual_maximum": "-5"}, "cannot be negative"),
        ({"percent_covered": "0"}, "between 1 and 100"),
        ({"insurer": " "}, "Give the insurer"),
    ):
        with pytest.raises(BillingError, match=message):
            save_insurance_policy(week.client, **(fields | wrong))
    week.practice.tax_number = "123456789 RT0001"
    week.practice.save()
    card = invoice_sale(
        week.client,
        lines=[LineRequest(LineKind.GIFT_CARD, "Gift card", Decimal("50.00"), taxable=True)],
    )
    assert totals(card).tax == Decimal("0.00")


def test_the_front_desk_corrects_and_sells_on_the_billing_page(
    week: ClinicWeek, signed_in: Any
) -> None:
    visit = completed_last_week(week)
    desk = signed_in(week.cast.front_desk)
    url = f"/staff/clients/{week.client.pk}/billing/"
    page = desk.get(url).content.decode()
    assert page.count('data-testid="to-invoice"') == 1

    made = billing_post(
        desk, url, {"action": "invoice", "appointment": visit.pk, "discount": "10.00"}, follow=True
    )
    assert "Invoice 1 created: $110.00." in made.content.decode()
    invoice = Invoice.objects.get()
    bad = billing_post(
        desk, url, {"action": "invoice", "appointment": visit.pk, "discount": "1.005"}, follow=True
    )
    assert "fractions of a cent" in bad.content.decode()
    billing_post(
        desk, url, {"action": "pay", "invoice": invoice.pk, "amount": "110.00", "method": "debit"}
    )
    billing_post(desk, url, {"action": "receipt", "invoice": invoice.pk})
    receipt = Receipt.objects.get()
    emailed = billing_post(
        desk, url, {"action": "email_receipt", "receipt": receipt.pk, "to": ""}, follow=True
    )
    assert "Receipt 1 is on its way to client@maple.test." in emailed.content.decode()

    refused = billing_post(
        desk, url, {"action": "void", "invoice": invoice.pk, "reason": "Wrong length"}, follow=True
    )
    assert "refund it before cancelling" in refused.content.decode()
    billing_post(
        desk,
        url,
        {
            "action": "refund",
            "invoice": invoice.pk,
            "amount": "110.00",
            "method": "debit",
            "reason": "Wrong length",
        },
    )
    done = billing_post(
        desk, url, {"action": "void", "invoice": invoice.pk, "reason": "Wrong length"}, follow=True
    )
    html = done.content.decode()
    assert "Invoice 1 cancelled by credit note 1." in html
    assert "cancelled by credit note 1" in html and html.count('data-testid="to-invoice"') == 1

    added = billing_post(
        desk,
        url,
        {
            "action": "policy",
            "policy-insurer": "Manulife",
            "policy-member_id": "M-77",
            "policy-subscriber_name": "Casey Mapleclient",
            "policy-relationship": "self",
            "policy-year_starts": "2026-01-01",
            "policy-annual_maximum": "600.00",
            "policy-percent_covered": "100",
        },
        follow=True,
    )
    assert "Manulife policy saved." in added.content.decode()
    assert 'data-testid="coverage"' in added.content.decode()
    wrong = billing_post(
        desk, url, {"action": "policy", "policy-insurer": "", "policy-annual_maximum": "-1"}
    )
    assert wrong.status_code == 200 and "could not be saved" in wrong.content.decode()

    sold = billing_post(
        desk,
        url,
        {
            "action": "sale",
            "sale-kind": "product",
            "sale-description": "Foam roller",
            "sale-unit_price": "30.00",
            "sale-quantity": "2",
            "sale-taxable": "on",
        },
        follow=True,
    )
    assert "Invoice 2 created: $60.00." in sold.content.decode()  # Maple is not registered
    assert billing_post(signed_in(week.maya.user), url, {"action": "void"}).status_code == 403


def test_clients_see_and_download_their_own_receipts(
    week: ClinicWeek, signed_in: Any, birch: Any
) -> None:
    invoice = invoice_appointment(completed_last_week(week))
    record_payment(invoice, amount_paid="120.00", method="credit")
    receipt = issue_receipt(invoice)
    web = signed_in(week.cast.client_user)
    page = web.get("/account/").content.decode()
    assert f"/account/receipts/{receipt.pk}.pdf" in page and "My receipts" in page
    pdf = web.get(f"/account/receipts/{receipt.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    shown = web.get(f"/account/receipts/{receipt.pk}.pdf?view=page")
    assert shown["Content-Type"].startswith("text/html")
    assert f"Receipt {receipt.number}" in shown.content.decode()
    assert "Massage therapy treatment" in shown.content.decode()
    assert AuditEntry.objects.filter(action="print", role="client").exists()
    assert (
        signed_in(birch.client_user).get(f"/account/receipts/{receipt.pk}.pdf").status_code == 404
    )
