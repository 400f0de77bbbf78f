"""The client's side in a real browser, on a phone: from the practice's home page through the
conditions guide and "physiotherapy, massage or both?" to a booked home visit and its emails;
and a signed-in client signing their plan's consent, answering the questionnaire their
therapist asked for and downloading a receipt."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from fascia.billing.actions import invoice_appointment, record_payment
from fascia.billing.receipts import issue_receipt
from fascia.conftest import PASSWORD
from fascia.notifications.outbox import deliver_due_messages
from fascia.public.tests.emails import emailed_link
from fascia.records.models import Consent, OutcomeScore
from fascia.records.plans import create_treatment_plan
from fascia.records.questionnaires import ask_for_questionnaire
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.tests.conftest import ClinicWeek, MobileWeek, at
from fascia.staff.tests.test_browser_front_desk_day import shot
from fascia.tests.accessibility import assert_accessible

pytestmark = pytest.mark.browser


WIDEST = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.scrollWidth > 320 && [...e.children].every(c => c.scrollWidth <= 320))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + ' ' +
    e.outerHTML.slice(0, 300))"""


def looks_right(page: Any, name: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert wide, (
        name,
        page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"),
        page.evaluate(WIDEST),
    )
    assert_accessible(page)
    shot(page, f"journey-{name}")


def test_from_the_home_page_through_the_guide_to_a_booked_home_visit_on_a_phone(
    live_server: Any, page: Any, mobile_week: MobileWeek
) -> None:
    practice = mobile_week.week.practice
    practice.works_statutory_holidays = True
    practice.save()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=practice.public_name, exact=True).click()
    page.get_by_role("heading", name=practice.public_name, exact=True).wait_for()
    looks_right(page, "home")
    page.get_by_role("navigation", name=f"{practice.public_name} website").get_by_role(
        "link", name="Conditions", exact=True
    ).click()
    page.get_by_role("link", name="Sciatica").click()
    page.get_by_role("heading", name="Sciatica", exact=True).wait_for()
    looks_right(page, "sciatica")
    page.get_by_role("main").get_by_role(
        "link", name="Physiotherapy, massage or both?"
    ).first.click()
    page.get_by_label("Ease pain or muscle tension, or relax").check()
    page.get_by_role("group", name="Have you had an injury, accident or surgery?").get_by_label(
        "No"
    ).check()
    page.get_by_label("Two weeks to three months").check()
    page.get_by_role("group", name="Is a physiotherapist treating you now?").get_by_label(
        "No"
    ).check()
    page.get_by_role("button", name="Suggest where to start").click()
    assert "Massage therapy" in page.get_by_test_id("advice").inner_text()
    looks_right(page, "physio-or-massage")
    page.get_by_role("link", name="Book a massage").click()
    page.get_by_role("link", name="60 min · $120.00").click()
    page.get_by_role("link", name="Anyone").click()
    page.get_by_label("Your postal code").fill("L6Y 2B2")
    page.get_by_role("button", name="Check and continue").click()
    page.get_by_role("heading", name="Choose a time").wait_for()
    looks_right(page, "time")
    page.get_by_role("link", name="Later →").click()
    page.locator("button.time").first.click()
    page.get_by_role("heading", name="Confirm your appointment").wait_for()
    page.get_by_label("Street address").fill("12 Elm Drive")
    page.get_by_label("City").fill("Brampton")
    page.get_by_label("First name (legal)").fill("Riley")
    page.get_by_label("Last name (legal)").fill("Novak")
    page.get_by_label("Email").fill("riley@example.com")
    page.get_by_label("I have read and accept the cancellation policy").check()
    looks_right(page, "details")
    page.get_by_role("button", name="Book appointment").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    page.goto(live_server.url + emailed_link("riley@example.com"))
    page.get_by_role("button", name="Confirm booking").click()
    page.get_by_role("heading", name="You're booked").wait_for()
    looks_right(page, "booked")
    appointment = Appointment.objects.get(client__email="riley@example.com")
    assert appointment.location == mobile_week.mobile and appointment.visit_postal_code == "L6Y 2B2"
    deliver_due_messages()
    (confirmation,) = [
        m for m in mail.outbox if m.to == ["riley@example.com"] and m.subject.endswith("booked")
    ]
    assert "Swedish massage" in confirmation.body
    assert timezone.localtime(appointment.starts_at).strftime("%B") in confirmation.body


def test_a_client_signs_their_plan_answers_a_questionnaire_and_downloads_a_receipt(
    live_server: Any, page: Any, week: ClinicWeek
) -> None:
    week.practice.works_statutory_holidays = True
    week.practice.save()
    day = timezone.localdate() - timedelta(days=7)
    while day.weekday() > 4:  # a weekday the clinic works, last week
        day -= timedelta(days=1)
    start = at(day, 10)
    visit = book_appointment(
        week.practice, week.request(start), now=start - timedelta(days=1)
    ).appointment
    set_attendance(visit, AppointmentStatus.ARRIVED, by=week.cast.front_desk, now=visit.starts_at)
    set_attendance(visit, AppointmentStatus.COMPLETED, by=week.cast.front_desk, now=visit.ends_at)
    invoice = invoice_appointment(visit, by=week.cast.front_desk)
    record_payment(invoice, amount_paid=Decimal("120.00"), method="debit", by=week.cast.front_desk)
    issue_receipt(invoice, by=week.cast.front_desk)
    plan = create_treatment_plan(
        week.client,
        therapist=week.maya,
        goals="Sleep through the night without neck pain.",
        areas=["neck_back", "upper_back"],
        techniques=["swedish"],
        pressure="moderate",
        frequency="every two weeks",
        visits_planned=3,
        after_effects="Tenderness for a day.",
        by=week.cast.therapist_user,
    )
    ask_for_questionnaire(week.client, measure="nprs", by=week.cast.therapist_user)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email").fill(week.cast.client_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/account/")
    looks_right(page, "account")
    page.get_by_role("link", name="Read and sign the plan").click()
    page.get_by_text("Sleep through the night without neck pain.").first.wait_for()
    looks_right(page, "plan-consent")
    page.get_by_label("I consent to this treatment plan").check()
    page.get_by_label("I have read the plan").check()
    page.get_by_label("Type your full name to sign").fill("Casey Mapleclient")
    page.get_by_role("button", name="Sign my decision").click()
    page.get_by_text("will see your decision").wait_for()
    consent = Consent.objects.get(client=week.client, plan=plan)
    assert consent.given and consent.signed_name == "Casey Mapleclient"

    page.get_by_role("link", name="Fill in the questionnaire").click()
    page.get_by_role("heading", name="Numeric Pain Rating Scale").wait_for()
    looks_right(page, "questionnaire")
    page.get_by_role("group", name="Pain right now").get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("has your answers").wait_for()
    assert OutcomeScore.objects.get(client=week.client).value == 3

    link = page.get_by_role("link", name="PDF").first.get_attribute("href")
    assert link
    receipt = page.request.get(f"{live_server.url}{link}")
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")

    # Every page of the account, on a phone and a desktop.
    ahead = timezone.localdate() + timedelta(days=28)
    while ahead.weekday() > 4:  # a working weekday four weeks ahead
        ahead += timedelta(days=1)
    booked = book_appointment(week.practice, week.request(at(ahead, 10))).appointment
    for width, name in ((390, "phone"), (1280, "desktop")):
        page.set_viewport_size({"width": width, "height": 900})
        for path, shot_name in (
            ("/account/", "account"),
            (f"/account/appointments/{booked.pk}/cancel/", "cancel"),
            (f"/account/insurance/{week.client.pk}/new/", "add-policy"),
            (f"/account/details/{week.client.pk}/", "details"),
            (f"/account/health-history/{week.client.pk}/", "health-history"),
        ):
            page.goto(f"{live_server.url}{path}")
            looks_right(page, f"portal-{shot_name}-{name}")
