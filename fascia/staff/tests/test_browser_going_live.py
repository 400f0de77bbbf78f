"""A practice goes live in a real browser, in the product's own pages: a new owner starts it,
sets up two-step sign-in and works through the checklist, invites a therapist who joins, sets
up two-step sign-in and signs in with it; a client opens an account, proves the address,
books, forgets the password and resets it. Along the way: sign-in pauses after the configured
failures, a used or expired link is refused, and a lapsed registration hides the therapist."""

from __future__ import annotations

import base64
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils import timezone
from django_otp.oath import TOTP

from fascia.notifications.outbox import deliver_due_messages
from fascia.practices.models import Location, Practice, Therapist
from fascia.scheduling.models import Appointment
from fascia.tests.accessibility import accessibility_violations

pytestmark = pytest.mark.browser

OWNER = "ana@lakeshore-rmt.test"
THERAPIST = "jordan@lakeshore-rmt.test"
CLIENT = "riley@example.com"
PASSWORD = "correct-horse-battery"


def _link(to: str, path: str) -> str:
    """The path of the newest link containing `path` emailed to `to` (the outbox sends first)."""
    deliver_due_messages()
    for message in reversed(mail.outbox):
        if message.to == [to]:
            for word in message.body.split():
                if path in word:
                    return urlsplit(word).path
    raise AssertionError(f"No {path} link was emailed to {to}.")


def _code(key: bytes, steps_ahead: int = 0) -> str:
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


# Every page the journey opens is checked with axe-core for WCAG 2.2 A/AA failures.
FOUND: list[str] = []


def _look(page: Any) -> None:
    FOUND.extend(accessibility_violations(page))
    if page.viewport_size["width"] < 500 and page.evaluate(
        "document.documentElement.scrollWidth > window.innerWidth"
    ):
        FOUND.append(f"{page.url} is wider than the phone's screen")


def _set_up_two_step(page: Any) -> bytes:
    page.get_by_role("heading", name="Set up two-step sign-in").wait_for()
    _look(page)
    typed = page.get_by_test_id("typed-key").inner_text()
    key = base64.b32decode(typed.replace(" ", ""))
    page.get_by_label("Code").fill(_code(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    _look(page)
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    page.get_by_role("link", name="I have kept them — continue").click()
    return key


def _fill(page: Any, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def _sign_in(page: Any, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/accounts/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_practice_goes_live_in_its_own_pages(
    live_server: Any, browser: Any, settings: Any
) -> None:
    settings.FASCIA_STAFF_TWO_FACTOR = "required"
    url = live_server.url

    # 1. A new owner starts the practice through the emailed link.
    owner = browser.new_page()
    owner.goto(f"{url}/")
    owner.get_by_role("link", name="Start your practice").click()
    _look(owner)
    owner.get_by_label("Email").fill(OWNER)
    owner.get_by_role("button", name="Email me a link").click()
    owner.get_by_role("heading", name="Check your email").wait_for()
    _look(owner)
    owner.goto(url + _link(OWNER, "/accounts/start/"))
    _look(owner)
    _fill(
        owner,
        {
            "full_name": "Ana Souza",
            "password": PASSWORD,
            "practice_name": "Lakeshore Massage Therapy Inc.",
            "slug": "lakeshore",
            "province": "ON",
            "time_zone": "America/Toronto",
            "registration_number": "U4821",
        },
    )
    owner.get_by_role("button", name="Create the practice").click()
    # Staff must set up two-step sign-in before anything else.
    _set_up_two_step(owner)
    owner.wait_for_url(f"{url}/staff/setup/")

    _look(owner)
    # 2. The checklist, step by step.
    owner.get_by_role("link", name="Practice details and branding").click()
    _look(owner)
    _fill(owner, {"display_name": "Lakeshore RMT", "email": "hello@lakeshore.test"})
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_url(f"{url}/staff/setup/")
    owner.get_by_role("link", name="Receipt details (legal name, address, HST number)").click()
    _look(owner)
    _fill(owner, {"street": "12 Lakeshore Rd", "city": "Oakville", "postal_code": "L6J 1H1"})
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_url(f"{url}/staff/setup/")
    owner.goto(f"{url}/staff/setup/locations/new/")
    _look(owner)
    clinic: dict[str, str] = {
        "name_en": "Oakville clinic",
        "street": "12 Lakeshore Rd",
        "city": "Oakville",
        "postal_code": "L6J 1H1",
        "rooms": "Room 1",
        "travel_base_fee": "0",
        "travel_free_km": "0",
        "travel_fee_per_km": "0",
    }
    for day in range(6):
        clinic |= {f"opens_{day}": "08:00", f"closes_{day}": "20:00"}
    _fill(owner, clinic)
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_url(f"{url}/staff/setup/locations/")
    owner.goto(f"{url}/staff/setup/services/new/")
    _look(owner)
    _fill(
        owner,
        {
            "name_en": "Therapeutic massage",
            "modality": "deep_tissue",
            "buffer_before_minutes": "0",
            "buffer_after_minutes": "0",
            "minutes_0": "60",
            "price_0": "115",
        },
    )
    owner.locator('[name="in_clinic"]').check()
    owner.locator('[name="bookable_online"]').check()
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_url(f"{url}/staff/setup/services/")
    practice = Practice.objects.get(slug="lakeshore")
    ana = Therapist.objects.get(practice=practice, user__email=OWNER)
    owner.goto(f"{url}/staff/setup/hours/{ana.pk}/")
    _look(owner)
    clinic_id = str(Location.objects.for_practice(practice).get().pk)
    owner.locator('[name="techniques"][value="deep_tissue"]').check()
    for day in range(6):
        _fill(
            owner, {f"where_{day}_0": clinic_id, f"start_{day}_0": "09:00", f"end_{day}_0": "17:00"}
        )
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_url(f"{url}/staff/setup/hours/")
    owner.goto(f"{url}/staff/setup/cancellation/")
    _look(owner)
    _fill(owner, {"cancellation_policy_en": "Please give 24 hours' notice."})
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_url(f"{url}/staff/setup/")
    owner.get_by_role("link", name="Reminders").click()
    _look(owner)
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_url(f"{url}/staff/setup/")
    assert "Every step is done" in owner.get_by_role("heading", level=2).first.inner_text()
    owner.get_by_role("button", name="Open online booking").click()
    owner.get_by_text("clients can book now").wait_for()

    # 3. The owner invites a therapist, who joins and sets up two-step sign-in.
    owner.goto(f"{url}/staff/team/")
    owner.get_by_label("Email").fill(THERAPIST)
    owner.locator("#id_role").select_option("therapist")
    owner.get_by_role("button", name="Send invitation").click()
    owner.get_by_test_id("team-invitation").wait_for()
    _look(owner)
    invitation = _link(THERAPIST, "/accounts/invitation/")
    therapist = browser.new_page()
    therapist.goto(url + invitation)
    _look(therapist)
    _fill(
        therapist,
        {
            "full_name": "Jordan Reyes",
            "password": PASSWORD,
            "display_name": "Jordan Reyes",
            "pronouns": "they/them",
            "registration_number": "R7710",
        },
    )
    therapist.locator('[name="modalities"][value="deep_tissue"]').check()
    therapist.get_by_role("button", name="Join the practice").click()
    key = _set_up_two_step(therapist)
    therapist.wait_for_url(f"{url}/staff/**")
    therapist.goto(url + invitation)  # the link works once
    therapist.get_by_role("heading", name="This invitation no longer works").wait_for()
    therapist.get_by_role("button", name="Sign out").click()
    _sign_in(therapist, url, THERAPIST, PASSWORD)
    therapist.get_by_role("heading", name="Two-step sign-in").wait_for()
    _look(therapist)
    therapist.get_by_label("Code").fill(_code(key, steps_ahead=1))
    therapist.get_by_role("button", name="Continue").click()
    therapist.wait_for_url(f"{url}/staff/")

    # 4. A client opens an account, proves the address, and books.
    client = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    client.goto(f"{url}/book/lakeshore/account/")
    _look(client)
    client.get_by_label("First name (legal)").fill("Riley")
    client.get_by_label("Last name (legal)").fill("Chen")
    client.get_by_label("Email").fill(CLIENT)
    client.get_by_label("Password").fill("a-quiet-morning-walk")
    client.get_by_role("button", name="Create my account").click()
    client.get_by_role("heading", name="Check your email").wait_for()
    _look(client)
    client.goto(url + _link(CLIENT, "/account/open/"))
    _look(client)
    client.get_by_role("button", name="Open my account").click()
    client.get_by_text("Your account is open").wait_for()
    client.goto(f"{url}/account/security/")
    _look(client)
    client.goto(f"{url}/book/lakeshore/services/")
    client.get_by_role("link", name="60 min · $115.00").click()
    client.get_by_role("link", name="Choose Ana Souza").click()
    client.get_by_role("heading", name="Choose a time").wait_for()
    client.get_by_role("link", name="Later →").click()
    client.locator("button.time").first.click()
    client.get_by_label("I have read and accept the cancellation policy").check()
    client.get_by_role("button", name="Book appointment").click()
    client.get_by_role("heading", name="You're booked").wait_for()
    assert Appointment.objects.get(client__email=CLIENT).therapist == ana

    # 5. Forgets the password and resets it; the used link is refused, and so is an old one.
    client.get_by_role("button", name="Sign out").click()
    client.goto(f"{url}/account/password-reset/")
    client.get_by_label("Email").fill(CLIENT)
    client.get_by_role("button", name="Email me a link").click()
    reset = _link(CLIENT, "/account/password-reset/")
    client.goto(url + reset)
    client.locator("#id_new_password1").fill("a-brand-new-password")
    client.locator("#id_new_password2").fill("a-brand-new-password")
    client.get_by_role("button", name="Save password").click()
    client.get_by_role("heading").first.wait_for()
    client.goto(url + reset)
    client.get_by_text("This link no longer works").wait_for()
    _sign_in(client, url, CLIENT, "a-brand-new-password")
    client.wait_for_url(f"{url}/account/")
    client.get_by_role("button", name="Sign out").click()
    client.goto(f"{url}/account/password-reset/")
    client.get_by_label("Email").fill(CLIENT)
    client.get_by_role("button", name="Email me a link").click()
    old = _link(CLIENT, "/account/password-reset/")
    later = timezone.now() + timedelta(hours=2)
    real_now = default_token_generator._now
    default_token_generator._now = lambda: later.replace(tzinfo=None)
    try:
        client.goto(url + old)
        client.get_by_text("This link no longer works").wait_for()
    finally:
        default_token_generator._now = real_now

    # 6. Wrong passwords: signing in pauses after the configured number.
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, url, CLIENT, "not-my-password")
    _sign_in(client, url, CLIENT, "a-brand-new-password")
    client.get_by_role("heading", name="Signing in is paused").wait_for()

    # 7. A lapsed registration: the therapist is no longer offered for booking.
    ana.registration_expires_on = timezone.localdate() - timedelta(days=1)
    ana.save()
    visitor = browser.new_page()
    visitor.goto(f"{url}/book/lakeshore/services/")
    visitor.get_by_role("link", name="60 min · $115.00").click()
    # Only Jordan is left to offer the service, so the therapist step is skipped.
    visitor.get_by_role("heading", name="Choose a time").wait_for()
    assert "with Jordan Reyes" in visitor.inner_text("main")
    assert "Ana Souza" not in visitor.inner_text("main")
    owner.goto(f"{url}/staff/")
    assert "registration lapsed" in owner.get_by_test_id("not-bookable").inner_text()
    for path in (
        "/staff/",
        "/staff/professional/",
        f"/staff/professional/{ana.pk}/",
        "/staff/equipment/",
        "/account/security/",
    ):
        owner.goto(url + path)
        _look(owner)
    assert FOUND == [], "\n".join(FOUND)
