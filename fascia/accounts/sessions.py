"""Sessions in the database, as Django keeps them, read together with who is signed in.

Every signed-in request reads its session, then its user and where they work, before anything
else. The session says which user it belongs to only once it is decoded, so that took two round
trips to the database. But a session's user never changes (signing in gives a new session
key), so once this process has decoded a session it knows the user, and from the next request
on reads the session, the user and their memberships in one prepared statement (`plain_sql`).
The user read that way is used only if the decoded session names that same user; Django then
checks the session against the user (`django.contrib.auth.get_user`) as always.

Writing, expiry and clean-up are Django's own (`django.contrib.sessions.backends.db`).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.core.signals import request_finished
from django.db import connection
from django.utils import timezone

from fascia.accounts.models import User
from fascia.accounts.practice_context import signed_in_from, signed_in_read
from fascia.plain_sql import fetch_prepared, table

KEPT_SESSIONS = 4096
# Which user each session decoded in this process belongs to (under a hash of its key).
_users_of_sessions: dict[int, int] = {}
# The user read with the request's session, until the request's sign-in check takes it.
_read_with_session: ContextVar[User | None] = ContextVar("read_with_session", default=None)


def user_read_with_session(user_id: Any) -> User | None:
    """The user read with this request's session, if it is `user_id` (taken once)."""
    user = _read_with_session.get()
    _read_with_session.set(None)
    return user if user is not None and str(user.pk) == str(user_id) else None


def _forget_read_user(**kwargs: Any) -> None:
    _read_with_session.set(None)


request_finished.connect(_forget_read_user, dispatch_uid="fascia-session-read-user")


class SessionStore(db.SessionStore):
    _user_read: User | None = None

    def load(self) -> dict[str, Any]:
        _read_with_session.set(None)
        self._user_read = None
        data: dict[str, Any] = super().load()
        user_id = data.get(SESSION_KEY)
        if not str(user_id).isdigit() or self.session_key is None:
            return data  # no one signed in
        if len(_users_of_sessions) >= KEPT_SESSIONS:
            _users_of_sessions.clear()
        _users_of_sessions[hash(self.session_key)] = int(str(user_id))
        if self._user_read is not None and str(self._user_read.pk) == str(user_id):
            _read_with_session.set(self._user_read)
        return data

    def _get_session_from_db(self) -> Any:
        model = self.model
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        user_id = _users_of_sessions.get(hash(self.session_key)) if self.session_key else None
        if user_id is None:
            rows = fetch_prepared(
                "fascia_session",
                f"SELECT session_data FROM {table(model)} "  # noqa: S608
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
        else:
            read, join, values = signed_in_read()
            rows = fetch_prepared(
                "fascia_session_signed_in",
                f"SELECT kept.session_data, {read} FROM {table(model)} kept "  # noqa: S608
                f"LEFT JOIN {table(User)} u ON u.id = %s {join} "
                "WHERE kept.session_key = %s AND kept.expire_date > %s",
                [user_id, *values, self.session_key, now],
            )
            self._user_read = signed_in_from(rows, start=1)
        if not rows or self.session_key is None:
            self._session_key = None  # as Django's: an unknown or expired key starts afresh
            return None
        return model(session_key=self.session_key, session_data=rows[0][0])
