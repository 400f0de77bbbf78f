"""Two-step sign-in with an authenticator app and recovery codes: required of staff where the
deployment says so, optional for clients; idle sessions end."""

from __future__ import annotations

import base64
import re
import time
from datetime import timedelta
from typing import Any

from django.test import Client as WebClient
from django.utils import timezone
from django_otp.oath import TOTP

from fascia.audit.models import AuditEntry
from fascia.conftest import PASSWORD


def _sign_in(email: str) -> WebClient:
    web = WebClient()
    answer = web.post("/accounts/sign-in/", {"username": email, "password": PASSWORD})
    assert answer.status_code == 302
    return web


def _key_on(page: str) -> bytes:
    typed = re.search(r'data-testid="typed-key">([A-Z2-7 ]+)<', page)
    assert typed is not None
    return base64.b32decode(typed.group(1).replace(" ", ""))


def _code(key: bytes, steps_ahead: int = 0) -> str:
    """The code the phone shows (a step ahead: a code is accepted once per 30 seconds)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _turn_on(web: WebClient) -> tuple[bytes, list[str]]:
    key = _key_on(web.get("/accounts/two-factor/set-up/").content.decode())
    wrong = web.post(
        "/accounts/two-factor/set-up/", {"code": "000000" if _code(key) != "000000" else "111111"}
    )
    assert "not the one your app shows" in wrong.content.decode()
    shown = web.post("/accounts/two-factor/set-up/", {"code": _code(key)}).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", shown)
    assert len(codes) == 10
    return key, codes


def test_a_client_turns_on_two_step_sign_in_and_needs_the_code_after_the_password(
    maple: Any,
) -> None:
    web = _sign_in("client@maple.test")
    elsewhere = _sign_in("client@maple.test")
    key, codes = _turn_on(web)
    assert web.get("/account/").status_code == 200  # this session counts as verified
    assert elsewhere.get("/account/").status_code == 302  # the password-only one ended
    assert AuditEntry.objects.filter(detail="turned on two-step sign-in").exists()

    later = _sign_in("client@maple.test")
    held = later.get("/account/")
    assert held["Location"].startswith("/accounts/two-factor/?next=%2Faccount%2F")
    assert later.get("/account/receipts/1.pdf").status_code == 302
    assert later.get("/api/v1/appointments").json()["detail"].startswith("Finish signing in")
    refused = later.post("/accounts/two-factor/", {"code": "12345x", "next": "/account/"})
    assert "not right" in refused.content.decode()
    passed = later.post("/accounts/two-factor/", {"code": _code(key, 1), "next": "/account/"})
    assert passed["Location"] == "/account/"
    assert later.get("/account/").status_code == 200

    # A lost phone: each recovery code works once.
    for attempt, expected in ((codes[0], "/account/"), (codes[0].upper(), None)):
        phone_lost = _sign_in("client@maple.test")
        answer = phone_lost.post("/accounts/two-factor/", {"code": attempt, "next": "/account/"})
        assert (answer.get("Location") if answer.status_code == 302 else None) == expected
    assert "9 recovery codes left" in web.get("/account/security/").content.decode()

    web.post("/accounts/two-factor/off/")
    assert _sign_in("client@maple.test").get("/account/").status_code == 200


def test_staff_must_set_it_up_where_required_and_cannot_turn_it_off(
    maple: Any, settings: Any, signed_in: Any
) -> None:
    settings.FASCIA_STAFF_TWO_FACTOR = "required"
    web = _sign_in("therapist@maple.test")
    held = web.get("/staff/")
    assert held["Location"].startswith("/accounts/two-factor/set-up/?next=%2Fstaff%2F")
    assert web.get("/api/v1/appointments").json()["detail"].startswith("Finish signing in")
    assert "Staff sign in with a code" in web.get(held["Location"]).content.decode()
    _turn_on(web)
    assert web.get("/staff/").status_code == 200
    web.post("/accounts/two-factor/off/")
    assert "set up a new phone" in web.get("/account/security/").content.decode()
    assert web.get("/staff/").status_code == 200  # still on
    # Clients are not held back.
    assert _sign_in("client@maple.test").get("/account/").status_code == 200

    # The therapist lost the phone: the owner resets it, and the next sign-in sets it up anew.
    owner = _sign_in("owner@maple.test")
    _turn_on(owner)
    member = maple.therapist_user.staff_memberships.get()
    answer = owner.post(f"/staff/team/{member.pk}/", {"do": "reset_two_factor"})
    assert answer.status_code == 302
    assert AuditEntry.objects.filter(detail__contains="reset the two-step sign-in").exists()
    again = _sign_in("therapist@maple.test")
    assert again.get("/staff/")["Location"].startswith("/accounts/two-factor/set-up/")


def test_idle_sessions_end_sooner_for_staff_than_for_clients(maple: Any, monkeypatch: Any) -> None:
    staff = _sign_in("frontdesk@maple.test")
    client = _sign_in("client@maple.test")
    assert staff.get("/staff/").status_code == 200
    assert client.get("/account/").status_code == 200
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    ended = staff.get("/staff/")
    assert ended.status_code == 302 and ended["Location"].startswith("/accounts/sign-in/")
    assert client.get("/account/").status_code == 200
    assert staff.get("/staff/").status_code == 302  # signed out, not just turned away once
