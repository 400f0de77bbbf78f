"""Which practice a request acts for: the signed-in staff member's, chosen in the session when
they work for more than one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fascia.accounts.models import Role, StaffMember, User
from fascia.practices.models import Practice

SESSION_KEY = "fascia_practice_id"


@dataclass(frozen=True)
class PracticeContext:
    practice: Practice | None = None
    role: str | None = None
    staff_member: StaffMember | None = None
    practices: tuple[Practice, ...] = ()


NO_PRACTICE = PracticeContext()


def resolve_practice_context(request: HttpRequest) -> PracticeContext:
    user = request.user
    if not isinstance(user, User):
        return NO_PRACTICE
    memberships = list(
        StaffMember.objects.filter(user=user, is_active=True)
        .select_related("practice")
        .order_by("practice__name")
    )
    # The request's own user object carries its roles for the rest of the request (`role_in`).
    user._roles_this_request = {m.practice_id: m.role for m in memberships}  # type: ignore[attr-defined]
    if not memberships:
        return NO_PRACTICE
    chosen_id = request.session.get(SESSION_KEY)
    member = next((m for m in memberships if m.practice_id == chosen_id), memberships[0])
    return PracticeContext(
        practice=member.practice,
        role=member.role,
        staff_member=member,
        practices=tuple(m.practice for m in memberships),
    )


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, for views whose policy already requires signing in."""
    if not isinstance(request.user, User):
        raise PermissionDenied(_("Please sign in."))
    return request.user


def choose_practice(request: HttpRequest, practice_id: int) -> bool:
    """Switch the session to another practice the user works for; False if they do not."""
    works_there = StaffMember.objects.filter(
        user=signed_in_user(request), practice_id=practice_id, is_active=True
    ).exists()
    if works_there:
        request.session[SESSION_KEY] = practice_id
    return works_there


class PracticeRequest(HttpRequest):
    """The request as staff views see it, after PracticeContextMiddleware (for type checking)."""

    practice: Practice
    staff_role: str | None
    staff_member: StaffMember | None


def acting_user(by: Any) -> Any:
    """The user to record as having done something: `by` when it is a signed-in user, None for
    anonymous requests, the system and the worker."""
    return by if getattr(by, "is_authenticated", False) else None


def role_in(practice: Practice, user: Any) -> str | None:
    """The user's active staff role in the practice, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    known: dict[int, str] | None = getattr(user, "_roles_this_request", None)
    if known is not None:  # read by the practice-context middleware for this request
        return known.get(practice.pk)
    return (
        StaffMember.objects.filter(practice=practice, user=user, is_active=True)
        .values_list("role", flat=True)
        .first()
    )


# Who books, moves, cancels and marks attendance: the bookkeeper reads times and amounts only.
BOOKING_ROLES = frozenset({Role.OWNER, Role.THERAPIST, Role.FRONT_DESK})


def books_for_practice(user: Any, practice: Practice) -> bool:
    """The user holds a booking role (owner, therapist, front desk) in the practice."""
    return role_in(practice, user) in BOOKING_ROLES


def acts_for_therapist(user: Any, therapist: Any) -> bool:
    """Only the therapist themselves, or an owner of their practice, plans the therapist's
    day, taps their safety check-ins and manages their private calendar feed."""
    if not getattr(user, "is_authenticated", False):
        return False
    if therapist.user_id is not None and therapist.user_id == user.pk:
        return True
    return role_in(therapist.practice, user) == Role.OWNER


def practice_of_person(user: User) -> Practice | None:
    """The practice whose outbox sends a person's own emails (password reset, a new address):
    where they work, else where they are a client; None for a platform operator."""
    from fascia.clients.models import Client

    membership = user.staff_memberships.select_related("practice").first()
    if membership is not None:
        return membership.practice
    client = Client.objects.filter(user=user).select_related("practice").first()
    return client.practice if client else None


def owner_emails(practice: Practice) -> list[str]:
    """The email addresses of the practice's active owners."""
    return list(
        StaffMember.objects.for_practice(practice)
        .filter(role=Role.OWNER, is_active=True)
        .values_list("user__email", flat=True)
    )
