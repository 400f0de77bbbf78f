"""The receipts in a client's copy of their whole record (`records.whole_record`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from fascia.billing.models import Receipt
from fascia.records.whole_record import Section

RECEIPTS = Section(
    "receipts",
    gettext_lazy("Receipts"),
    Receipt,
    ("issued_at", "number", "kind", "content"),
    client_field="invoice__client",
)
