"""Issued receipts, their cancellations and recorded payments are final in the database itself
(see `fascia.audit.final_rows`): a correction is a new receipt, a refund a new payment."""

from __future__ import annotations

from fascia.audit.final_rows import FinalRows, installer, sqlite_reinstaller

RULES = [
    FinalRows("billing_receipt", "issued receipts never change"),
    FinalRows("billing_receiptcancellation", "issued receipts never change"),
    FinalRows("billing_payment", "recorded payments never change; record a refund"),
]

install = installer(RULES)
ensure_sqlite_triggers = sqlite_reinstaller(RULES)
