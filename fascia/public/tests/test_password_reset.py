"""Passwords: a forgotten one is reset by a link made only when the email is sent (the same
answer for every address; once, for an hour); changing one signs out every other session."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client as WebClient

from fascia.conftest import PASSWORD, PracticeCast
from fascia.notifications.models import OutboundMessage
from fascia.notifications.outbox import deliver_due_messages


def ask(web: WebClient, email: str) -> Any:
    return web.post("/account/password-reset/", {"email": email}, follow=True)


def reset_link(to: str) -> str:
    queued = OutboundMessage.objects.get(to=to, subject="Reset your password")
    assert "/password-reset/" not in queued.body  # no live link waits in the outbox
    deliver_due_messages()
    sent = next(m for m in mail.outbox if m.to == [to] and "/password-reset/" in m.body)
    return urlsplit(next(w for w in sent.body.split() if "/password-reset/" in w)).path


def test_a_client_and_a_therapist_reset_a_forgotten_password(maple: PracticeCast) -> None:
    web = WebClient()
    assert "Forgot your password?" in web.get("/accounts/sign-in/").content.decode()
    known = ask(web, "client@maple.test")
    unknown = ask(web, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content  # never says whether the address has an account
    assert not OutboundMessage.objects.filter(to="nobody@example.com").exists()
    for user in (maple.client_user, maple.therapist_user):
        if user is maple.therapist_user:
            ask(web, user.email.upper())  # the address as typed, in any case
        link = reset_link(user.email)
        browser = WebClient()
        form = browser.get(link, follow=True)
        assert "Choose a new password" in form.content.decode()
        weak = browser.post(
            form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
        )
        assert "too common" in weak.content.decode()
        done = browser.post(
            form.redirect_chain[-1][0],
            {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"},
            follow=True,
        )
        assert "Password saved" in done.content.decode()
        user.refresh_from_db()
        assert user.check_password("a-brand-new-password") and not user.check_password(PASSWORD)
        # The link is spent by the change it made.
        again = WebClient().get(link, follow=True)
        assert "This link no longer works" in again.content.decode()
        mail.outbox.clear()


def test_a_reset_link_expires_after_an_hour(maple: PracticeCast, monkeypatch: Any) -> None:
    ask(WebClient(), "client@maple.test")
    link = reset_link("client@maple.test")
    later = datetime.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = WebClient().get(link, follow=True)
    assert "This link no longer works" in page.content.decode()
    assert "Ask for a new one" in page.content.decode()


def test_changing_the_password_signs_out_every_other_session(maple: PracticeCast) -> None:
    here, elsewhere = WebClient(), WebClient()
    for web in (here, elsewhere):
        web.post("/accounts/sign-in/", {"username": "client@maple.test", "password": PASSWORD})
        assert web.get("/account/").status_code == 200
    assert "/account/security/" in here.get("/account/").content.decode()
    assert "/account/password/change/" in here.get("/account/security/").content.decode()
    wrong = here.post(
        "/account/password/change/",
        {"old_password": "not-it", "new_password1": "x", "new_password2": "x"},
    )
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    changed = here.post(
        "/account/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-password",
            "new_password2": "another-long-password",
        },
        follow=True,
    )
    assert "Your other sessions have been signed out" in changed.content.decode()
    assert here.get("/account/").status_code == 200  # this one stays signed in
    assert elsewhere.get("/account/").status_code == 302  # the other is signed out
    maple.client_user.refresh_from_db()
    assert maple.client_user.check_password("another-long-password")
