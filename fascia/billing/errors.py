"""Why a write to the books was refused."""

from __future__ import annotations


class BillingError(Exception):
    """A write to the books that cannot be made; `message` says why."""

    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReceiptRefused(BillingError):
    """A receipt that must not be issued (no treatment given, not paid, future date…)."""

    status = 409
