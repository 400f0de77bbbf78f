"""Sessions in the database, as Django keeps them, read with one plain query.

Every signed-in request reads its session before anything else; building that one query through
the ORM cost several times what running it does, so it is a prepared statement (`plain_sql`).
Writing, expiry and clean-up are Django's own (`django.contrib.sessions.backends.db`); only the
read is plain SQL.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from fascia.plain_sql import fetch_prepared, table


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        model = self.model
        rows = fetch_prepared(
            "fascia_session",
            f"SELECT session_data FROM {table(model)} "  # noqa: S608
            "WHERE session_key = %s AND expire_date > %s",
            [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        if not rows or self.session_key is None:
            self._session_key = None  # as Django's: an unknown or expired key starts afresh
            return None
        return model(session_key=self.session_key, session_data=rows[0][0])
