"""What a booking request can fail with; each carries a message for the person asking."""

from __future__ import annotations


class BookingError(Exception):
    """A booking request that cannot be carried out; `message` says why, for the person."""

    status = 422

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SlotUnavailable(BookingError):
    """The time is (no longer) free: someone else booked it, or it is outside working time."""

    status = 409


class NotServed(BookingError):
    """A home Fascia cannot visit: a malformed postal code, one outside every service area,
    or an address the geocoder cannot place."""


class NotPermitted(BookingError):
    """The person asking may not do this (for example, plan another therapist's day)."""

    status = 403


class TooManyHolds(BookingError):
    """One network address holds too many times at once."""

    status = 429
