"""How a person signs in with their email and password, and who a session belongs to.

Django's `ModelBackend` checks passwords and permissions; on every request after sign-in it
also reads the session's user, through the ORM. That read is on the path of every page, so
here it is read with the session (`accounts.sessions`), or else in one plain statement
(`practice_context.read_signed_in`), giving the same `User` the ORM would, with the places they
hold on practices' staff read in the same statement.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from fascia.accounts.models import User
from fascia.accounts.practice_context import read_signed_in
from fascia.accounts.sessions import user_read_with_session

# The backend every sign-in records in its session (the password, an invitation accepted, an
# email confirmed): `django.contrib.auth.login(…, backend=SIGN_IN_BACKEND)`.
SIGN_IN_BACKEND = "fascia.accounts.backends.AccountBackend"


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user = user_read_with_session(user_id) or read_signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
