"""The practice's own website at its booking address: pages built from the practice's records
and the owner's words, search-engine tags and the sitemap, the conditions guide with the
practice's choices, and the contact form that reaches the practice (and refuses abuse)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient
from django.urls import reverse
from PIL import Image

from fascia.conftest import PracticeCast
from fascia.notifications.models import OutboundMessage
from fascia.practices.models import OpeningHours
from fascia.records.screening import client_red_flags
from fascia.scheduling.tests.conftest import ClinicWeek, MobileWeek
from fascia.staff.tests.test_browser_front_desk_day import shot
from fascia.tests.accessibility import assert_accessible
from fascia.website.actions import MESSAGES_PER_SENDER_PER_HOUR, save_website, set_condition_note
from fascia.website.conditions import CONDITIONS
from fascia.website.models import ContactMessage


def html(response: Any) -> str:
    return response.content.decode()


def meta(page: str, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', page)
    assert found, f"no {name} tag"
    return found.group(1)


def png(width: int = 40, height: int = 30) -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (width, height), (47, 111, 98)).save(data, "PNG")
    return SimpleUploadedFile("room.png", data.getvalue(), content_type="image/png")


def test_the_home_page_shows_the_practice_in_its_own_words(
    open_week: ClinicWeek, client: WebClient
) -> None:
    practice = open_week.practice
    save_website(
        practice,
        headline="Registered massage therapy in downtown Brampton",
        introduction="We are a small team of RMTs.\n\nWe treat back pain and sports injuries.",
    )
    page = html(client.get(f"/book/{practice.slug}/"))
    assert "<h1>Maple Massage</h1>" in page
    assert "Registered massage therapy in downtown Brampton" in page
    assert "<p>We treat back pain and sports injuries.</p>" in page
    assert "Swedish massage" in page and "$120.00" in page
    assert "Dan Okafor" in page
    assert f'href="/book/{practice.slug}/services/"' in page  # Book
    assert meta(page, "name", "description") == "Registered massage therapy in downtown Brampton"
    assert meta(page, "property", "og:title") == "Maple Massage"
    assert meta(page, "property", "og:url") == f"http://testserver/book/{practice.slug}/"
    assert '<link rel="canonical" href="http://testserver/book/maple/">' in page


def test_a_practice_shows_only_its_own_people_and_places(
    open_week: ClinicWeek, birch: PracticeCast, client: WebClient
) -> None:
    maple_pages = "".join(
        html(client.get(f"/book/maple/{path}"))
        for path in ("", "therapists/", "locations/", "insurance/", "services/")
    )
    assert "Dan Okafor" in maple_pages
    assert birch.therapist.display_name not in maple_pages
    # Another practice's therapist is not found under this practice's address.
    assert client.get(f"/book/maple/therapists/{birch.therapist.pk}/").status_code == 404
    assert client.get(f"/book/birch/therapists/{birch.therapist.pk}/").status_code == 200


def test_a_therapists_page_shows_what_clients_and_the_regulator_expect(
    open_week: ClinicWeek, client: WebClient
) -> None:
    dan = open_week.dan
    dan.bio = "Dan treats runners and desk workers."
    dan.pronouns = "he/him"
    dan.languages = ["English", "French"]
    dan.modalities = ["swedish", "deep_tissue"]
    dan.save()
    page = html(client.get(f"/book/maple/therapists/{dan.pk}/"))
    assert "Dan Okafor, RMT" in page
    assert "he/him" in page and "English, French" in page
    assert "Swedish (relaxation), Deep tissue" in page
    assert "College of Massage Therapists of Ontario, registration no. D1" in page
    book = f"?service={open_week.service.pk}&amp;minutes=60&amp;therapist={dan.pk}"
    assert book in page
    # Booking from the therapist's page skips choosing a therapist.
    step = client.get(
        f"/book/maple/therapist/?service={open_week.service.pk}&minutes=60&therapist={dan.pk}"
    )
    assert step.status_code == 302 and f"therapist={dan.pk}" in step["Location"]
    assert "/location/" in step["Location"] or "/time/" in step["Location"]
    assert meta(page, "name", "description") == "Dan treats runners and desk workers."


def test_a_therapist_who_may_not_treat_has_no_page(
    open_week: ClinicWeek, client: WebClient
) -> None:
    dan = open_week.dan
    dan.registration_status = dan.RegistrationStatus.SUSPENDED
    dan.save()
    assert client.get(f"/book/maple/therapists/{dan.pk}/").status_code == 404
    assert "Dan Okafor" not in html(client.get("/book/maple/therapists/"))


def test_locations_give_directions_hours_and_the_areas_visited(
    mobile_week: MobileWeek, client: WebClient
) -> None:
    clinic = mobile_week.week.clinic
    clinic.access_notes = "Free parking behind the building; the entrance has a ramp."
    clinic.save()
    OpeningHours.objects.create(
        practice=clinic.practice, location=clinic, weekday=1, opens_at="09:00", closes_at="17:00"
    )
    guelph = mobile_week.areas["Guelph"]
    guelph.weekdays = [1]
    guelph.save()
    page = html(client.get("/book/maple/locations/"))
    assert "1 Main St" in page and "Free parking behind the building" in page
    assert "Tuesday" in page and "09:00–17:00" in page
    assert "Home visits" in page and "Guelph" in page and "Tuesdays" in page
    assert "/book/maple/home-visits/" in page  # the postal-code check


def test_fees_insurance_and_the_cancellation_policy(
    open_week: ClinicWeek, client: WebClient
) -> None:
    save_website(
        open_week.practice, direct_billing=True, direct_billing_insurers="Sun Life, Manulife"
    )
    page = html(client.get("/book/maple/insurance/"))
    assert "$120.00" in page
    assert "registration number" in page and "referral note" in page, page
    assert "We bill these insurers directly, so you pay only your share: Sun Life, Manulife." in (
        page
    )
    assert "24 hours&#x27; notice, or 50% of the fee is charged." in page
    assert "less than 24 hours' notice" in page and "costs 50%" in page


def test_the_owner_must_describe_the_photo_and_name_direct_billing_insurers(
    open_week: ClinicWeek, signed_in: Any
) -> None:
    owner = signed_in(open_week.cast.owner)
    refused = owner.post(
        reverse("staff:setup-website"),
        {"headline_en": "Hello", "direct_billing": "on", "photo": png(), "contact_form_open": "on"},
    )
    assert refused.status_code == 200
    text = html(refused)
    assert "Say what the photo shows" in text and "Name the insurers you bill directly." in text
    saved = owner.post(
        reverse("staff:setup-website"),
        {
            "headline_en": "Hello",
            "introduction_en": "Our words.",
            "photo": png(),
            "photo_description_en": "Our treatment room",
            "contact_form_open": "on",
        },
    )
    assert saved.status_code == 302
    home = html(WebClient().get("/book/maple/"))
    assert 'alt="Our treatment room"' in home
    assert meta(home, "property", "og:image") == "http://testserver/book/maple/photo/"
    photo = WebClient().get("/book/maple/photo/")
    assert photo.status_code == 200
    assert b"PNG" in b"".join(photo.streaming_content)[:8]  # type: ignore[attr-defined]
    # Others may not edit it.
    for role in ("front_desk", "therapist_user", "bookkeeper"):
        other = signed_in(getattr(open_week.cast, role))
        assert other.get(reverse("staff:setup-website")).status_code == 403


def test_the_sitemap_lists_every_public_page_of_the_practice(
    open_week: ClinicWeek, birch: PracticeCast, client: WebClient
) -> None:
    set_condition_note(open_week.practice, "pregnancy", hidden=True, note="")
    sitemap = html(client.get("/book/maple/sitemap.xml"))
    for path in ("/book/maple/", "/book/maple/services/", "/book/maple/contact/"):
        assert f"<loc>http://testserver{path}</loc>" in sitemap
    assert f"/book/maple/therapists/{open_week.dan.pk}/" in sitemap
    assert "/book/maple/conditions/sciatica/" in sitemap
    assert "/book/maple/conditions/pregnancy/" not in sitemap
    assert "/book/birch/" not in sitemap
    everything = html(client.get("/sitemap.xml"))
    assert "/book/maple/" in everything and "/book/birch/" in everything
    robots = html(client.get("/robots.txt"))
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /staff/" in robots


def test_a_condition_page_explains_links_to_booking_and_lists_the_red_flags(
    open_week: ClinicWeek, client: WebClient
) -> None:
    page = html(client.get("/book/maple/conditions/sciatica/"))
    assert "<h1>Sciatica</h1>" in page
    assert "How massage therapy may help" in page and "What it cannot promise:" in page
    assert "Trigger point therapy" in page
    assert "trouble controlling your bladder or bowels is an emergency" in page
    for _code, label in client_red_flags():  # the same list as the intake screening defers
        assert str(label) in page
    assert f"/book/maple/services/#service-{open_week.service.pk}" in page
    assert "Reviewed" in page and "next review by" in page
    index = html(client.get("/book/maple/conditions/"))
    assert index.count("/book/maple/conditions/") >= len(CONDITIONS)
    assert client.get("/book/maple/conditions/no-such-thing/").status_code == 404


def test_the_owner_hides_a_guide_page_and_adds_a_note(
    open_week: ClinicWeek, signed_in: Any, client: WebClient
) -> None:
    owner = signed_in(open_week.cast.owner)
    page = html(owner.get(reverse("staff:setup-conditions")))
    assert page.count('name="condition"') == len(CONDITIONS)
    owner.post(reverse("staff:setup-conditions"), {"condition": "pregnancy", "note": ""})
    assert client.get("/book/maple/conditions/pregnancy/").status_code == 404
    assert "/conditions/pregnancy/" not in html(client.get("/book/maple/conditions/"))
    owner.post(
        reverse("staff:setup-conditions"),
        {"condition": "sciatica", "shown": "yes", "note": "Dan has a special interest in it."},
    )
    assert "Dan has a special interest in it." in html(
        client.get("/book/maple/conditions/sciatica/")
    )
    # Shown again, with no note: back to the guide as shipped.
    owner.post(reverse("staff:setup-conditions"), {"condition": "pregnancy", "shown": "yes"})
    assert client.get("/book/maple/conditions/pregnancy/").status_code == 200
    unknown = owner.post(reverse("staff:setup-conditions"), {"condition": "x", "shown": "yes"})
    assert unknown.status_code == 400


def test_the_contact_form_reaches_the_practice(open_week: ClinicWeek, client: WebClient) -> None:
    practice = open_week.practice
    practice.email = "hello@maple.test"
    practice.save()
    sent = client.post(
        "/book/maple/contact/",
        {
            "name": "Sam Lee",
            "email": "sam@example.com",
            "phone": "905-555-0100",
            "message": "Do you have evening times on Thursdays?",
        },
    )
    assert sent.status_code == 302 and sent["Location"] == "/book/maple/contact/sent/"
    received = ContactMessage.objects.get(practice=practice)
    assert (received.name, received.email) == ("Sam Lee", "sam@example.com")
    email = OutboundMessage.objects.get(to="hello@maple.test")
    assert "Sam Lee" in email.subject and "evening times on Thursdays" in email.body
    assert "sam@example.com" in email.body


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"message": "<script>alert(1)</script>"}, "Write plain text"),
        ({"name": '<img src=x onerror="x">'}, "Write plain text"),
        ({"message": "x" * 3001}, "at most 3000 characters"),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"phone": "call me maybe"}, "Give a phone number"),
        ({"message": "http://a.test http://b.test http://c.test"}, "at most 2 web links"),
        ({"message": ""}, "This field is required."),
    ],
)
def test_the_contact_form_refuses_bad_input_beside_the_field(
    open_week: ClinicWeek, client: WebClient, changes: dict[str, str], error: str
) -> None:
    values = {"name": "Sam", "email": "sam@example.com", "message": "Hello there"}
    values.update(changes)
    answer = client.post("/book/maple/contact/", values)
    assert answer.status_code == 400
    assert error in html(answer)
    assert 'class="field-error" role="alert"' in html(answer)
    assert not ContactMessage.objects.exists()


def test_the_contact_form_throttles_senders_and_drops_robots(
    open_week: ClinicWeek, client: WebClient
) -> None:
    values = {"name": "Sam", "email": "sam@example.com", "message": "Hello there"}
    robot = client.post("/book/maple/contact/", {**values, "homepage": "http://spam.test"})
    assert robot.status_code == 302 and not ContactMessage.objects.exists()
    for _ in range(MESSAGES_PER_SENDER_PER_HOUR):
        assert client.post("/book/maple/contact/", values).status_code == 302
    refused = client.post("/book/maple/contact/", values)
    assert refused.status_code == 429
    assert "several messages in the last hour" in html(refused)
    assert ContactMessage.objects.count() == MESSAGES_PER_SENDER_PER_HOUR
    # Another address may still write.
    other = WebClient(REMOTE_ADDR="198.51.100.7")
    assert other.post("/book/maple/contact/", values).status_code == 302


def test_staff_read_the_website_messages_and_mark_them_answered(
    open_week: ClinicWeek, signed_in: Any, birch: PracticeCast
) -> None:
    WebClient().post(
        "/book/maple/contact/",
        {"name": "Sam", "email": "sam@example.com", "message": "Maple question"},
    )
    WebClient(REMOTE_ADDR="198.51.100.8").post(
        "/book/birch/contact/",
        {"name": "Kim", "email": "kim@example.com", "message": "Birch question"},
    )
    desk = signed_in(open_week.cast.front_desk)
    inbox = html(desk.get(reverse("staff:contact-messages")))
    assert "Maple question" in inbox and "Birch question" not in inbox
    message = ContactMessage.objects.get(practice=open_week.practice)
    desk.post(reverse("staff:contact-message-answered", args=[message.pk]))
    message.refresh_from_db()
    assert message.answered_by == open_week.cast.front_desk and message.answered_at
    assert "Answered by" in html(desk.get(reverse("staff:contact-messages")))
    bookkeeper = signed_in(open_week.cast.bookkeeper)
    assert bookkeeper.get(reverse("staff:contact-messages")).status_code == 403


@pytest.mark.browser
def test_the_site_on_a_phone_and_a_desktop(
    live_server: Any, page: Any, mobile_week: MobileWeek
) -> None:
    practice = mobile_week.week.practice
    save_website(
        practice,
        headline="Registered massage therapy in Brampton, and at home",
        introduction="A small team of RMTs.",
        direct_billing=True,
        direct_billing_insurers="Sun Life",
    )
    for width, name in ((390, "phone"), (1280, "desktop")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/book/{practice.slug}/")
        for link, heading, shot_name in (
            ("Therapists", "Our therapists", "therapists"),
            ("Locations and hours", "Locations, hours and home visits", "locations"),
            ("Conditions", "Conditions we treat", "conditions"),
            ("Fees and insurance", "Fees, insurance and cancellations", "insurance"),
            ("Contact", "Contact us", "contact"),
            ("Home", practice.public_name, "home"),
        ):
            page.get_by_role("navigation", name=f"{practice.public_name} website").get_by_role(
                "link", name=link, exact=True
            ).click()
            page.get_by_role("heading", name=heading, exact=True).first.wait_for()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert_accessible(page)
            shot(page, f"site-{shot_name}-{name}")
        page.get_by_role("link", name="Sciatica").click()
        page.get_by_role("heading", name="Sciatica", exact=True).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
        shot(page, f"site-condition-{name}")
        page.goto(f"{live_server.url}/book/{practice.slug}/therapists/{mobile_week.week.dan.pk}/")
        assert_accessible(page)
        shot(page, f"site-therapist-{name}")
    page.goto(f"{live_server.url}/book/{practice.slug}/contact/")
    page.get_by_label("Your name").fill("Sam Lee")
    page.get_by_label("Your email").fill("sam@example.com")
    page.get_by_label("Your message").fill("<b>Evening times?</b>")
    page.get_by_role("button", name="Send").click()
    assert "Write plain text" in page.get_by_role("alert").first.inner_text()
    assert_accessible(page)
    page.get_by_label("Your message").fill("Do you have evening times?")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Message sent").wait_for()


def test_the_accessibility_statement_and_feedback_reach_the_practice(
    open_week: ClinicWeek, client: WebClient, signed_in: Any
) -> None:
    home = html(client.get("/book/maple/"))
    assert '/accessibility/?practice=maple"' in home  # in every page's footer
    assert "/book/maple/accessibility/" in home
    statement = html(client.get("/accessibility/?practice=maple"))
    assert "WCAG" in statement and "2.2" in statement and "Barriers we know of" in statement
    assert "/book/maple/accessibility/" in statement
    sent = client.post(
        "/book/maple/accessibility/",
        {
            "name": "Lee",
            "email": "lee@example.com",
            "page": "My receipt",
            "message": "Please send my receipts in large print.",
        },
    )
    assert sent.status_code == 302
    feedback = ContactMessage.objects.get(practice=open_week.practice)
    assert feedback.topic == "accessibility" and feedback.message.startswith("[My receipt]")
    inbox = html(signed_in(open_week.cast.front_desk).get(reverse("staff:contact-messages")))
    assert "large print" in inbox and ">Accessibility<" in inbox
    refused = client.post("/book/maple/accessibility/", {"name": "Lee", "email": "x"})
    assert refused.status_code == 400


def test_the_guides_and_home_visit_check_are_pages_of_the_site(
    open_week: ClinicWeek, client: WebClient
) -> None:
    for path, title in (
        ("/book/maple/rmt-or-spa/", "RMT or spa massage?"),
        ("/book/maple/physio-or-massage/", "Physiotherapy, massage or both?"),
        ("/book/maple/home-visits/", "Do you come to my home?"),
    ):
        page = html(client.get(path))
        assert meta(page, "property", "og:title") == title
        assert meta(page, "name", "description")
        assert f"<title>{title} — Maple Massage</title>" in page
        assert 'aria-label="Maple Massage website"' in page
