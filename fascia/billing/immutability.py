"""Issued receipts, their cancellations and recorded payments are final in the database itself
(see `fascia.audit.final_rows`): a correction is a new receipt, a refund a new payment, and an
invoice is cancelled by a credit note."""

from __future__ import annotations

from fascia.audit.final_rows import FinalRows, sqlite_reinstaller

RULES = [
    FinalRows("billing_receipt", "issued receipts never change"),
    FinalRows("billing_receiptcancellation", "issued receipts never change"),
    FinalRows("billing_payment", "recorded payments never change; record a refund"),
    FinalRows("billing_creditnote", "issued credit notes never change"),
    # Kept for the retention period (the financial record; a referral is health information):
    # changed as the actions allow, deleted only by disposal (records.retention).
    FinalRows("billing_invoice", "financial records are kept", delete_only=True),
    FinalRows("billing_invoiceline", "financial records are kept", delete_only=True),
    FinalRows("billing_referralnote", "client records are kept", delete_only=True),
]

# Each migration that adds a rule installs it (with the rules frozen as they were then);
# on SQLite every rule here is re-created after each migrate.
ensure_sqlite_triggers = sqlite_reinstaller(RULES)
