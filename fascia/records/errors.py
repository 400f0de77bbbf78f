"""Why a write to the clinical record was refused."""

from __future__ import annotations


class RecordError(Exception):
    """A write to the record that cannot be made; `message` (and `reasons`) say why."""

    status = 422

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = reasons or []


class NoteLocked(RecordError):
    """The note is signed: it can only be amended."""

    status = 409
