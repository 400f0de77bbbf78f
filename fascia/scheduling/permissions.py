"""Who may change appointments, checked by the scheduling actions themselves (so the API, the
pages and anything else that calls them obey the same rule): staff changes need a booking role
in the practice (owner, therapist, front desk — never the bookkeeper, who reads times and
amounts); a client changes only their own visits. `by=None` is the system itself (the worker,
imports, the demo)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from fascia.accounts.practice_context import acting_user, books_for_practice
from fascia.practices.models import Practice
from fascia.scheduling.errors import NotPermitted


def refuse_unless_books(practice: Practice, by: Any) -> None:
    """Staff-only changes (attendance, a treatment ended early, booking as staff)."""
    if by is not None and not books_for_practice(acting_user(by), practice):
        raise NotPermitted(
            _("Only the owner, therapists and front desk book and change appointments.")
        )


def refuse_unless_may_change(
    practice: Practice, client_user_id: int | None, by: Any, *, as_staff: bool
) -> None:
    """Booking, moving or cancelling: the client's own visit (under the client's rules), or
    anyone's by a booking role. An anonymous `by` is the public booking form, booking for the
    client it just registered."""
    by = acting_user(by)
    if by is None:
        return
    own = not as_staff and client_user_id is not None and client_user_id == by.pk
    if not own and not books_for_practice(by, practice):
        raise NotPermitted(
            _("Only the owner, therapists and front desk book and change appointments.")
            if as_staff
            else _("Only the client, or the practice's booking staff, change this visit.")
        )
