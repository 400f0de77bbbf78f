"""The practice's numbered sequences (invoices, receipts, credit notes), taken under the
practice's lock so numbers are never repeated or skipped."""

from __future__ import annotations

from django.db.models import Max

from fascia.billing.models import (
    CreditNote,
    Invoice,
    Receipt,
)
from fascia.practices.models import Practice


def next_number(model: type[Invoice] | type[Receipt] | type[CreditNote], practice: Practice) -> int:
    """The next number in the practice's sequence (callers hold the practice's lock)."""
    latest = model.objects.filter(practice=practice).aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


def lock_practice(practice: Practice) -> None:
    Practice.objects.select_for_update().filter(pk=practice.pk).first()
