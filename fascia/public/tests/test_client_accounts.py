"""Clients open accounts themselves, prove their address before anything shows, are joined to
the practice's record of them only by that proved address or the practice's invitation, change
their address (proved again) and sign out everywhere. No answer tells whether an address has
an account."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client as WebClient

from fascia.accounts.models import User
from fascia.audit.models import AuditAction, AuditEntry
from fascia.clients.actions import register_client
from fascia.clients.models import Client
from fascia.conftest import PASSWORD
from fascia.notifications.models import OutboundMessage
from fascia.notifications.outbox import deliver_due_messages
from fascia.public.models import ClientSignUp

NEW = "riley@example.com"
NEW_PASSWORD = "a-quiet-morning-walk"


def _sign_up(email: str = NEW, password: str = NEW_PASSWORD) -> Any:
    return WebClient().post(
        "/book/maple/account/",
        {
            "legal_first_name": "Riley",
            "legal_last_name": "Chen",
            "email": email,
            "password": password,
        },
    )


def _emails_to(address: str) -> list[Any]:
    mail.outbox.clear()
    deliver_due_messages()
    return [message for message in mail.outbox if message.to == [address]]


def _link_in(message: Any, path: str) -> str:
    return urlsplit(next(word for word in message.body.split() if path in word)).path


def _sign_in(email: str, password: str) -> WebClient:
    web = WebClient()
    answer = web.post("/accounts/sign-in/", {"username": email, "password": password})
    assert answer.status_code == 302, answer.content.decode()[:1500]
    return web


def test_a_new_client_signs_up_proves_the_address_and_gets_their_own_record(maple: Any) -> None:
    answer = _sign_up()
    assert answer.status_code == 200
    assert "Check your email" in answer.content.decode()
    assert not User.objects.filter(
        email=NEW
    ).exists()  # nothing exists before the address is proved
    assert "/account/open/" not in OutboundMessage.objects.get(to=NEW).body  # no live link stored
    (email,) = _emails_to(NEW)
    link = _link_in(email, "/account/open/")

    web = WebClient()
    assert "Open my account" in web.get(link).content.decode()
    assert not User.objects.filter(email=NEW).exists()  # following the link writes nothing
    opened = web.post(link)
    assert opened.status_code == 302 and opened["Location"] == "/account/"
    user = User.objects.get(email=NEW)
    assert user.email_verified_at is not None and user.check_password(NEW_PASSWORD)
    record = Client.objects.get(user=user)
    assert (record.practice, record.legal_first_name, record.email) == (
        maple.practice,
        "Riley",
        NEW,
    )
    assert web.get("/account/").status_code == 200
    assert ClientSignUp.objects.get(email=NEW).password == ""  # the hash lives only on the login

    again = WebClient().post(link)
    assert again.status_code == 400 and "no longer works" in again.content.decode()
    assert Client.objects.filter(user=user).count() == 1
    _sign_in(NEW, NEW_PASSWORD)


def test_signing_up_with_an_address_that_has_an_account_answers_the_same(maple: Any) -> None:
    answer = _sign_up(email="client@maple.test")
    assert answer.status_code == 200 and "Check your email" in answer.content.decode()
    assert not ClientSignUp.objects.exists()
    (email,) = _emails_to("client@maple.test")
    assert "already has an account" in email.body and "/account/open/" not in email.body
    assert User.objects.get(email="client@maple.test").check_password(PASSWORD)  # unchanged


def test_a_weak_password_is_refused_with_the_reason_and_nothing_is_sent(maple: Any) -> None:
    answer = _sign_up(password="password")
    page = answer.content.decode()
    assert answer.status_code == 200 and "too common" in page
    assert not OutboundMessage.objects.filter(to=NEW).exists()


def test_a_proved_address_joins_the_one_record_with_it_but_never_guesses_between_several(
    maple: Any,
) -> None:
    desk = register_client(
        maple.practice,
        by=maple.front_desk,
        legal_first_name="Riley",
        legal_last_name="Chen",
        email=NEW,
    )
    _sign_up()
    WebClient().post(_link_in(_emails_to(NEW)[0], "/account/open/"))
    desk.refresh_from_db()
    assert desk.user == User.objects.get(email=NEW)
    assert Client.objects.for_practice(maple.practice).filter(email=NEW).count() == 1

    shared = "family@example.com"
    for first in ("Sam", "Alex"):
        register_client(
            maple.practice,
            by=maple.front_desk,
            legal_first_name=first,
            legal_last_name="Park",
            email=shared,
        )
    _sign_up(email=shared)
    WebClient().post(_link_in(_emails_to(shared)[0], "/account/open/"))
    assert not Client.objects.filter(user__email=shared).exists()
    assert Client.objects.filter(email=shared).count() == 2  # no duplicate opened either


def test_the_practice_invites_a_client_it_registered_at_the_desk(
    maple: Any, signed_in: Any
) -> None:
    desk = register_client(
        maple.practice,
        by=maple.front_desk,
        legal_first_name="Riley",
        legal_last_name="Chen",
        email=NEW,
    )
    front = signed_in(maple.front_desk)
    assert (
        "Invite to set up an online account"
        in front.get(f"/staff/clients/{desk.pk}/").content.decode()
    )
    assert front.post(f"/staff/clients/{desk.pk}/online-account/").status_code == 302
    assert AuditEntry.objects.filter(client=desk, detail__contains="online account").exists()
    link = _link_in(_emails_to(NEW)[0], "/account/invitation/")

    web = WebClient()
    refused = web.post(link, {"password1": "short", "password2": "short"})
    assert "too short" in refused.content.decode()
    joined = web.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert joined.status_code == 302
    desk.refresh_from_db()
    assert desk.user is not None and desk.user.email == NEW
    assert web.get("/account/").status_code == 200
    assert WebClient().get(link).status_code == 400  # works once

    # An address with an account joins only when signed in as that account.
    other = register_client(
        maple.practice,
        by=maple.front_desk,
        legal_first_name="Casey",
        legal_last_name="Second",
        email="client@birch.test",
    )
    User.objects.create_user("client@birch.test", PASSWORD)
    front.post(f"/staff/clients/{other.pk}/online-account/")
    link = _link_in(_emails_to("client@birch.test")[0], "/account/invitation/")
    assert "Sign in" in WebClient().get(link).content.decode()
    someone_else = _sign_in("client@maple.test", PASSWORD)
    someone_else.post(link)
    other.refresh_from_db()
    assert other.user is None
    _sign_in("client@birch.test", PASSWORD).post(link)
    other.refresh_from_db()
    assert other.user is not None and other.user.email == "client@birch.test"


def test_changing_the_address_waits_for_the_new_one_to_be_proved(maple: Any) -> None:
    web = _sign_in("client@maple.test", PASSWORD)
    wrong = web.post("/account/security/", {"new_email": NEW, "password": "not-it"})
    assert "not your current password" in wrong.content.decode()
    web.post("/account/security/", {"new_email": NEW, "password": PASSWORD})
    mail.outbox.clear()
    deliver_due_messages()
    to_new = next(m for m in mail.outbox if m.to == [NEW])
    to_old = next(m for m in mail.outbox if m.to == ["client@maple.test"])
    assert "/account/email/" not in to_old.body and "If this was not you" in to_old.body
    maple.client_user.refresh_from_db()
    assert maple.client_user.email == "client@maple.test"  # nothing changes yet

    link = _link_in(to_new, "/account/email/")
    WebClient().post(link)
    maple.client_user.refresh_from_db()
    maple.client.refresh_from_db()
    assert maple.client_user.email == NEW and maple.client.email == NEW
    _sign_in(NEW, PASSWORD)
    assert WebClient().post(link).status_code == 400


def test_sign_out_everywhere_ends_every_session(maple: Any) -> None:
    here = _sign_in("client@maple.test", PASSWORD)
    phone = _sign_in("client@maple.test", PASSWORD)
    assert phone.get("/account/").status_code == 200
    here.post("/account/sign-out-everywhere/")
    for web in (here, phone):
        assert web.get("/account/").status_code == 302
    assert _sign_in("client@maple.test", PASSWORD).get("/account/").status_code == 200


def test_an_unproved_address_sees_nothing_until_it_is_proved(maple: Any, signed_in: Any) -> None:
    maple.client_user.email_verified_at = None
    maple.client_user.save()
    web = signed_in(maple.client_user)
    assert web.get("/account/")["Location"] == "/account/verify-email/"
    assert web.get(f"/account/health-history/{maple.client.pk}/").status_code == 302
    web.post("/account/verify-email/")
    WebClient().post(_link_in(_emails_to("client@maple.test")[0], "/account/email/"))
    maple.client_user.refresh_from_db()
    assert maple.client_user.email_verified_at is not None
    assert web.get("/account/").status_code == 200


def test_a_client_keeps_their_own_details_and_reminder_choice(week: Any, signed_in: Any) -> None:
    from fascia.audit.models import AuditEntry
    from fascia.clients.models import Client

    client = week.client
    client.consents_to_email_reminders, client.consents_to_sms_reminders = True, False
    client.save()
    web = signed_in(client.user)
    url = f"/account/details/{client.pk}/"
    form = web.get(url).content.decode()
    (email_choice,) = re.findall(r'<input type="radio" name="reminders" value="email"[^>]*>', form)
    assert "checked" in email_choice  # the reminder choice starts from the client's consents
    saved = web.post(
        url,
        {
            "preferred_name": "Case",
            "phone": "+1 416 555 0199",
            "street": "9 King St",
            "city": "Brampton",
            "province": "ON",
            "postal_code": "L6Y 1N2",
            "emergency_contact_name": "Sam",
            "emergency_contact_phone": "+1 416 555 0111",
            "preferred_language": "fr",
            "reminders": "sms",
        },
    )
    assert saved.status_code == 302
    client = Client.objects.get(pk=client.pk)
    assert (client.preferred_name, client.street, client.preferred_language) == (
        "Case",
        "9 King St",
        "fr",
    )
    assert (client.consents_to_email_reminders, client.consents_to_sms_reminders) == (False, True)
    assert AuditEntry.objects.filter(client=client, detail__startswith="Changed:").exists()
    bad = web.post(url, {"phone": "not a phone", "reminders": "pigeon", "province": "ON"})
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "Select a valid choice." in page and "phone number" in page.lower()
    # Someone else's record is not theirs to change: as if it did not exist, and audited.
    other = week.other_client
    assert web.get(f"/account/details/{other.pk}/").status_code == 404
    assert web.post(f"/account/details/{other.pk}/", {"phone": ""}).status_code == 404
    refused = AuditEntry.objects.filter(action=AuditAction.REFUSED, client=other)
    assert [entry.detail for entry in refused] == ["not their record"] * 2


@pytest.mark.browser
def test_own_details_on_a_phone(live_server: Any, page: Any, week: Any) -> None:
    from fascia.conftest import PASSWORD
    from fascia.staff.tests.test_browser_front_desk_day import shot
    from fascia.tests.accessibility import assert_accessible

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email").fill(week.client.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Update my details").click()
    page.get_by_label("By text message", exact=True).check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    shot(page, "own-details-phone")
    page.get_by_role("button", name="Save my details").click()
    page.get_by_text("Your details are saved.").wait_for()
    week.client.refresh_from_db()
    assert week.client.consents_to_sms_reminders and not week.client.consents_to_email_reminders
