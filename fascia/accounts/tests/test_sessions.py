"""Sessions are Django's, in the database: a saved session reads back, an expired or unknown
one is never read (the visitor starts afresh), and signing out ends it for every request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from fascia.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back() -> None:
    first = SessionStore()
    first["practice"] = 7
    first.save()
    again = SessionStore(first.session_key)
    assert again["practice"] == 7
    assert again.session_key == first.session_key


def test_an_expired_session_is_never_read() -> None:
    first = SessionStore()
    first["practice"] = 7
    first.save()
    Session.objects.filter(session_key=first.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(first.session_key)
    assert again.get("practice") is None
    assert again.session_key is None  # a new one will be made, never the expired one reused


def test_an_unknown_session_is_never_read() -> None:
    assert SessionStore("x" * 32).load() == {}


def test_signing_out_ends_the_session_for_every_later_request(maple: Any, signed_in: Any) -> None:
    web = signed_in(maple.owner)
    assert web.get("/staff/").status_code == 200
    cookie = web.cookies["sessionid"].value
    web.post("/accounts/sign-out/")
    assert not Session.objects.filter(session_key=cookie).exists()
    web.cookies["sessionid"] = cookie  # the old cookie, replayed
    assert web.get("/staff/").status_code == 302


def test_a_person_whose_account_is_turned_off_is_signed_out_at_once(
    maple: Any, signed_in: Any
) -> None:
    web = signed_in(maple.owner)
    assert web.get("/staff/").status_code == 200
    type(maple.owner).objects.filter(pk=maple.owner.pk).update(is_active=False)
    assert web.get("/staff/").status_code == 302  # to the sign-in page


def test_the_user_read_with_a_session_is_used_only_if_the_session_names_them(
    maple: Any, signed_in: Any
) -> None:
    """The process remembers whose each session is, to read both at once; were it ever wrong,
    the session's own user is read, never the one guessed."""
    from fascia.accounts import sessions

    web = signed_in(maple.front_desk)
    assert web.get("/staff/").status_code == 200  # the session is met, and its user learnt
    key = web.cookies["sessionid"].value
    assert sessions._users_of_sessions[hash(key)] == maple.front_desk.pk
    sessions._users_of_sessions[hash(key)] = maple.owner.pk  # a wrong guess
    page = web.get("/staff/").content.decode()
    assert "Frontdesk · Front desk" in page and "Owner · Owner" not in page
    assert sessions._users_of_sessions[hash(key)] == maple.front_desk.pk  # learnt again

    type(maple.front_desk).objects.filter(pk=maple.front_desk.pk).delete()
    assert web.get("/staff/").status_code == 302  # no such person: signed out
