"""Sign-in is throttled: after the configured number of failures for an account, signing in to
it pauses, on the page and through the API alike, with the reason and an audit entry in the
account's practice; a success resets the count."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.test import Client as WebClient

from fascia.audit.models import AuditAction, AuditEntry
from fascia.conftest import PASSWORD, PracticeCast


def sign_in(web: WebClient, email: str, password: str) -> Any:
    return web.post("/accounts/sign-in/", {"username": email, "password": password})


def test_too_many_failures_pause_signing_in_to_that_account(maple: PracticeCast) -> None:
    email = maple.front_desk.email
    web = WebClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(web, email, "wrong-guess").status_code == 200  # the form again
    paused = sign_in(web, email, "wrong-guess")
    assert paused.status_code == 429
    assert "signing in is paused for 15 minutes" in paused.content.decode()
    (entry,) = AuditEntry.objects.filter(action=AuditAction.LOCKOUT)
    assert entry.practice == maple.practice and email in entry.detail
    # Even the right password waits now, from anywhere, and through the API too.
    assert sign_in(WebClient(REMOTE_ADDR="10.9.9.9"), email, PASSWORD).status_code == 429
    api = WebClient(REMOTE_ADDR="10.9.9.8").post(
        "/api/v1/auth/token",
        json.dumps({"email": email, "password": PASSWORD}),
        content_type="application/json",
    )
    assert api.status_code == 429 and "paused" in api.json()["detail"]
    # Another account is not affected.
    assert (
        sign_in(WebClient(REMOTE_ADDR="10.9.9.7"), maple.owner.email, PASSWORD).status_code == 302
    )


def test_a_success_resets_the_count(maple: PracticeCast) -> None:
    web = WebClient()
    email = maple.client_user.email
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(web, email, "wrong-guess")
    assert sign_in(web, email, PASSWORD).status_code == 302
    web = WebClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(web, email, "wrong-guess").status_code == 200


def test_passwords_are_hashed_with_argon2_in_production_settings() -> None:
    from fascia.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_an_impossibly_long_address_is_refused_not_a_server_error(maple: PracticeCast) -> None:
    long_email = "a" * 300 + "@example.com"
    assert sign_in(WebClient(), long_email, "x").status_code == 200
    api = WebClient().post(
        "/api/v1/auth/token",
        json.dumps({"email": long_email, "password": "x"}),
        content_type="application/json",
    )
    assert api.status_code == 401
    # Counted under the address as it could be: a different case is the same account.
    web = WebClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(web, maple.bookkeeper.email.upper(), "wrong-guess")
    assert (
        sign_in(WebClient(REMOTE_ADDR="10.1.1.1"), maple.bookkeeper.email, PASSWORD).status_code
        == 429
    )
