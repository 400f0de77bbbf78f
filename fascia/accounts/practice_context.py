"""Which practice a request acts for: the signed-in staff member's, chosen in the session when
they work for more than one."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fascia.accounts.models import Role, StaffMember, User
from fascia.plain_sql import columns, fetch_prepared, instances, table
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
    memberships = active_memberships(user)
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


def active_memberships(user: User) -> list[StaffMember]:
    """The user's active places on practices' staff, by practice name, each with its practice.

    Every staff page asks this first, so it is one plain query — or none, when the memberships
    were read with the signed-in user (`read_signed_in`): the memberships, each with its
    practice's schedule stamp (replaced by every write to the practice,
    `scheduling.remembered`). A practice is read from the database only when its stamp has
    changed since this process last read it; otherwise the request gets its own copy of the one
    read then. The memberships themselves are read on every request (a role changed or taken
    away counts at once)."""
    # Taken once: a later question in the request reads them again.
    read: list[tuple[StaffMember, int | None]] | None = getattr(user, _READ_WITH_USER, None)
    if read is not None:
        delattr(user, _READ_WITH_USER)
    else:
        user_with = read_signed_in(user.pk)
        read = getattr(user_with, _READ_WITH_USER, [])
    memberships = []
    for member, stamp in read:
        member.practice = _practice_as_stamped(member.practice_id, stamp)
        memberships.append(member)
    return sorted(memberships, key=lambda member: (member.practice.name, member.practice_id))


def read_signed_in(user_id: int) -> User | None:
    """The user a session belongs to, read with their active memberships in one statement (so
    the request's `active_memberships` reads nothing more); None if there is no such user."""
    read, join, values = signed_in_read()
    rows = fetch_prepared(
        "fascia_signed_in",
        f"SELECT {read} FROM {table(User)} u {join} WHERE u.id = %s",  # noqa: S608
        [*values, user_id],
    )
    return signed_in_from(rows)


def signed_in_read() -> tuple[str, str, list[Any]]:
    """The columns and the join that read a user (`u`) with their active memberships, each with
    its practice's schedule stamp, for `signed_in_from`: (columns, join, the join's values)."""
    from fascia.scheduling.models import ScheduleStamp
    from fascia.scheduling.remembered import PRACTICE_DAY, PRACTICE_UNIT

    return (
        f"{columns(User, 'u')}, {columns(StaffMember, 'm')}, st.token",
        f"LEFT JOIN ({table(StaffMember)} m LEFT JOIN {table(ScheduleStamp)} st "
        "ON st.practice_id = m.practice_id AND st.unit = %s AND st.day = %s) "
        "ON m.user_id = u.id AND m.is_active = %s",
        [PRACTICE_UNIT, PRACTICE_DAY, True],
    )


def signed_in_from(rows: Sequence[Sequence[Any]], start: int = 0) -> User | None:
    """The user of rows read with `signed_in_read`'s columns from `start` on, carrying their
    memberships for this request's `active_memberships`; None when there is no user."""
    if not rows or rows[0][start] is None:
        return None
    (user,) = instances(User, rows[:1], start=start)
    width = start + len(User._meta.concrete_fields)
    members = [row for row in rows if row[width] is not None]  # the membership's id
    stamps = [row[-1] for row in members]
    read = list(zip(instances(StaffMember, members, start=width), stamps, strict=True))
    setattr(user, _READ_WITH_USER, read)
    return user


_READ_WITH_USER = "_fascia_memberships_read"


# Each practice as this process last read it, under the stamp it had then.
KEPT_PRACTICES = 1024
_practices: dict[int, tuple[int, Practice]] = {}


def _practice_as_stamped(practice_id: int, stamp: int | None) -> Practice:
    kept = _practices.get(practice_id)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return copy.copy(kept[1])  # a copy: the request may change or cache things on it
    # Read after the stamp: a change in between is kept under the older stamp, never read again.
    practice = Practice.objects.get(pk=practice_id)
    if stamp is not None:
        if len(_practices) >= KEPT_PRACTICES:
            _practices.clear()
        _practices[practice_id] = (stamp, copy.copy(practice))
    return practice


def forget_remembered_practices() -> None:
    """Forget this process's practices (tests: the database is rolled back)."""
    _practices.clear()


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
