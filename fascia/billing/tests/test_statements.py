"""Year-end statements: each client's paid treatments of the year, in a ZIP of PDFs."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from pypdf import PdfReader

from fascia.billing.actions import invoice_appointment, record_payment, refund
from fascia.billing.receipts import issue_receipt
from fascia.billing.statements import statement_for, write_statements_zip
from fascia.billing.tests.test_billing import AFTER, completed_visit
from fascia.scheduling.tests.conftest import ClinicWeek


def test_statements_list_paid_treatments_only(week: ClinicWeek, tmp_path: Any) -> None:
    paid = invoice_appointment(completed_visit(week, 10), now=AFTER)
    record_payment(paid, amount_paid="120.00", method="debit", now=AFTER)
    issue_receipt(paid, now=AFTER)
    unpaid = invoice_appointment(completed_visit(week, 14), now=AFTER)
    assert unpaid.number == paid.number + 1
    statement = statement_for(week.client, 2031)
    assert [(line.day.isoformat(), line.paid) for line in statement.lines] == [
        ("2031-03-03", Decimal("120.00"))
    ]
    assert statement_for(week.client, 2030).lines == []
    buffer = io.BytesIO()
    assert write_statements_zip(week.practice, 2031, buffer) == 1
    with zipfile.ZipFile(buffer) as archive:
        (name,) = archive.namelist()
        text = PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
    assert "2031 statement of paid treatments" in text and "$120.00" in text
    out = tmp_path / "statements.zip"
    call_command("year_end_statements", week.practice.slug, "2031", "--out", str(out))
    assert zipfile.ZipFile(out).namelist() == [name]


def test_the_download_is_for_billing_staff(week: ClinicWeek, signed_in: Any) -> None:
    response = signed_in(week.cast.bookkeeper).get("/staff/reports/statements.zip?year=2031")
    assert response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist() == []
    assert signed_in(week.maya.user).get("/staff/reports/statements.zip").status_code == 403


def test_the_account_statement_runs_the_balance(week: ClinicWeek, signed_in: Any) -> None:
    from fascia.billing.statements import account_statement

    invoice = invoice_appointment(completed_visit(week, 10), now=AFTER)
    record_payment(invoice, amount_paid="100.00", method="debit", now=AFTER)
    refund(invoice, amount_refunded="10.00", method="debit", reason="Goodwill", now=AFTER)
    entries = account_statement(week.client)
    assert [(e.description, e.balance) for e in entries] == [
        ("Invoice 1", Decimal("120.00")),
        ("Payment (Debit)", Decimal("20.00")),
        ("Refund", Decimal("30.00")),
    ]
    pdf = signed_in(week.cast.front_desk).get(
        f"/staff/clients/{week.client.pk}/billing/statement.pdf"
    )
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Account statement" in text and "Balance: $30.00" in text
