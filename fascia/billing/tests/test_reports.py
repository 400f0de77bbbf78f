"""Revenue, outstanding balances and payer mix, on screen and as CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fascia.billing.actions import invoice_appointment, record_payment, refund
from fascia.billing.reports import outstanding, payer_mix, revenue
from fascia.billing.tests.test_billing import AFTER, completed_visit
from fascia.scheduling.tests.conftest import ClinicWeek

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

    books = signed_in(week.cast.bookkeeper)
    page = books.get("/staff/reports/?from=2031-01-01&to=2031-12-31").content.decode()
    assert "Payer mix" in page and "Outstanding balances" in page
    csv = books.get("/staff/reports/?from=2031-01-01&to=2031-12-31&csv=payers")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0] == "Payer,Received,Share"
    assert signed_in(week.maya.user).get("/staff/reports/").status_code == 403
