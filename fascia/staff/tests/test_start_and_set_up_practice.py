"""A new owner starts a practice from the product's own pages, works through the set-up
checklist, and opens online booking; the booking page stays closed until then."""

from __future__ import annotations

from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client as WebClient
from django.test import override_settings

from fascia.accounts.models import Role, StaffMember, User
from fascia.audit.models import AuditEntry
from fascia.conftest import PASSWORD
from fascia.practices.models import Location, OpeningHours, Practice, Service, Therapist
from fascia.scheduling.models import WeeklyShift

OWNER_EMAIL = "ana@lakeshore-rmt.test"


def _start_link(web: WebClient, email: str = OWNER_EMAIL) -> str:
    answer = web.post("/accounts/start/", {"email": email})
    assert answer.status_code == 200
    assert "Check your email" in answer.content.decode()
    sent = next(message for message in mail.outbox if message.to == [email])
    return urlsplit(next(word for word in sent.body.split() if "/accounts/start/" in word)).path


def _start(web: WebClient, **changes: str) -> Any:
    form = {
        "full_name": "Ana Souza",
        "password": PASSWORD,
        "practice_name": "Lakeshore Massage Therapy Inc.",
        "slug": "lakeshore",
        "province": "ON",
        "time_zone": "America/Toronto",
        "tax_number": "",
        "registration_number": "U4821",
    } | changes
    return web.post(_start_link(web), form)


def test_a_new_owner_starts_a_practice_through_an_emailed_link(db: Any) -> None:
    web = WebClient()
    assert "Start your practice" in web.get("/").content.decode()
    answer = _start(web)
    assert answer.status_code == 302 and answer["Location"] == "/staff/setup/"
    practice = Practice.objects.get(slug="lakeshore")
    assert practice.booking_open is False
    owner = User.objects.get(email=OWNER_EMAIL)
    assert owner.check_password(PASSWORD)
    assert StaffMember.objects.get(practice=practice, user=owner).role == Role.OWNER
    therapist = Therapist.objects.get(practice=practice, user=owner)
    assert therapist.registration_number == "U4821" and therapist.may_treat
    assert AuditEntry.objects.filter(practice=practice, detail="practice started").exists()
    page = web.get("/staff/setup/").content.decode()
    assert "Practice details and branding" in page and "Open online booking" not in page
    # The booking page says the practice is not taking bookings yet, and tells its staff why.
    closed = web.get("/book/lakeshore/services/").content.decode()
    assert "not taking online bookings yet" in closed
    assert "Add a service clients can book online" in closed
    assert (
        "not taking online bookings yet"
        in WebClient().get("/book/lakeshore/services/").content.decode()
    )
    assert "Add a service" not in WebClient().get("/book/lakeshore/services/").content.decode()


def test_the_start_page_never_tells_whether_an_address_has_an_account(maple: Any) -> None:
    web = WebClient()
    known = web.post("/accounts/start/", {"email": maple.owner.email})
    unknown = web.post("/accounts/start/", {"email": "nobody@else.test"})
    assert known.status_code == unknown.status_code == 200
    assert known.content.decode().replace(
        maple.owner.email, "X"
    ) == unknown.content.decode().replace("nobody@else.test", "X")
    to_owner = next(message for message in mail.outbox if message.to == [maple.owner.email])
    assert (
        "already has a Fascia account" in to_owner.body and "/accounts/start/" not in to_owner.body
    )


def test_a_used_tampered_or_weak_start_is_refused_with_a_clear_page(db: Any) -> None:
    web = WebClient()
    link = _start_link(web)
    weak = web.post(
        link,
        {
            "full_name": "Ana",
            "password": "password",
            "practice_name": "X",
            "slug": "x",
            "province": "ON",
            "time_zone": "America/Toronto",
        },
    )
    assert weak.status_code == 200 and "too common" in weak.content.decode()
    assert not User.objects.filter(email=OWNER_EMAIL).exists()
    assert not Practice.objects.filter(slug="x").exists()
    form = {
        "full_name": "Ana",
        "password": PASSWORD,
        "practice_name": "Lakeshore",
        "slug": "lakeshore",
        "province": "ON",
        "time_zone": "America/Toronto",
    }
    assert web.post(link, form).status_code == 302
    reused = WebClient().get(link)
    assert reused.status_code == 400 and "already started" in reused.content.decode()
    tampered = WebClient().get(link[:-3] + "abc/")
    assert tampered.status_code == 400 and "Ask for a new one" in tampered.content.decode()


@override_settings(FASCIA_PRACTICE_SIGN_UP="invitation")
def test_by_invitation_only_the_operators_link_starts_a_practice(db: Any) -> None:
    web = WebClient()
    assert "by invitation" in web.get("/accounts/start/").content.decode()
    web.post("/accounts/start/", {"email": OWNER_EMAIL})
    assert mail.outbox == []
    out = StringIO()
    call_command("createpractice", invite=OWNER_EMAIL, stdout=out)
    link = urlsplit(out.getvalue().strip()).path
    assert "Start your practice" in web.get(link).content.decode()


def test_createpractice_makes_a_practice_and_a_link_for_the_owners_password(db: Any) -> None:
    out = StringIO()
    call_command(
        "createpractice",
        name="Grey Bruce RMT",
        slug="greybruce",
        owner_email="kim@gb.test",
        owner_name="Kim Lee",
        no_input=True,
        stdout=out,
    )
    practice = Practice.objects.get(slug="greybruce")
    owner = User.objects.get(email="kim@gb.test")
    assert not owner.has_usable_password()
    assert StaffMember.objects.get(practice=practice, user=owner).role == Role.OWNER
    link = urlsplit(out.getvalue().split()[-1]).path
    assert WebClient().get(link, follow=True).status_code == 200


def _owner_web(db: Any) -> WebClient:
    web = WebClient()
    _start(web)
    return web


def test_the_checklist_steps_set_up_the_practice_and_open_booking(db: Any) -> None:
    web = _owner_web(db)
    practice = Practice.objects.get(slug="lakeshore")
    therapist = Therapist.objects.get(practice=practice)

    refused = web.post("/staff/setup/open-booking/", {"open": "yes"}, follow=True)
    assert "Add a service clients can book online" in refused.content.decode()
    assert not Practice.objects.get(pk=practice.pk).booking_open

    details = web.post(
        "/staff/setup/details/",
        {
            "display_name": "Lakeshore RMT",
            "phone": "",
            "email": "hello@lakeshore.test",
            "website": "",
            "brand_colour": "#2f6f5e",
        },
    )
    assert details.status_code == 302
    bad_colour = web.post("/staff/setup/details/", {"display_name": "L", "brand_colour": "green"})
    assert "six hexadecimal digits" in bad_colour.content.decode()
    receipts = web.post(
        "/staff/setup/receipts/",
        {
            "name": "Lakeshore Massage Therapy Inc.",
            "street": "12 Lakeshore Rd",
            "unit": "",
            "city": "Oakville",
            "province": "ON",
            "postal_code": "L6J 1H1",
            "tax_number": "123456789 RT0001",
        },
    )
    assert receipts.status_code == 302

    clinic_form = {
        "name_en": "Oakville clinic",
        "kind": "clinic",
        "street": "12 Lakeshore Rd",
        "city": "Oakville",
        "province": "ON",
        "postal_code": "L6J 1H1",
        "travel_base_fee": "0",
        "travel_free_km": "0",
        "travel_fee_per_km": "0",
        "rooms": "Room 1\nRoom 2",
        "opens_0": "09:00",
        "closes_0": "17:00",
        "opens_2": "09:00",
        "closes_2": "20:00",
    }
    half_day = web.post("/staff/setup/locations/new/", clinic_form | {"closes_2": ""})
    assert "give both the opening and the closing time" in half_day.content.decode()
    assert not Location.objects.filter(practice=practice).exists()
    assert web.post("/staff/setup/locations/new/", clinic_form).status_code == 302
    clinic = Location.objects.get(practice=practice)
    assert sorted(clinic.rooms.values_list("name", flat=True)) == ["Room 1", "Room 2"]
    assert OpeningHours.objects.filter(location=clinic).count() == 2

    service_form = {
        "name_en": "Therapeutic massage",
        "name_fr": "Massothérapie thérapeutique",
        "modality": "deep_tissue",
        "description_en": "",
        "in_clinic": "on",
        "bookable_online": "on",
        "taxable": "",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "15",
        "minutes_0": "60",
        "price_0": "115.00",
        "minutes_1": "90",
        "price_1": "",
    }
    no_price = web.post("/staff/setup/services/new/", service_form)
    assert "Give both the length and its price" in no_price.content.decode()
    # A visit never keeps a therapist busy for more than a day: the form says so first.
    too_long = web.post(
        "/staff/setup/services/new/", service_form | {"price_1": "160", "minutes_1": "600"}
    )
    assert "less than or equal to 480" in too_long.content.decode()
    long_turnover = web.post(
        "/staff/setup/services/new/",
        service_form | {"price_1": "160", "buffer_after_minutes": "121"},
    )
    assert "less than or equal to 120" in long_turnover.content.decode()
    assert not Service.objects.filter(practice=practice).exists()
    assert (
        web.post("/staff/setup/services/new/", service_form | {"price_1": "160"}).status_code == 302
    )
    service = Service.objects.get(practice=practice)
    assert sorted((d.minutes, str(d.price)) for d in service.durations.all()) == [
        (60, "115.00"),
        (90, "160.00"),
    ]

    hours_url = f"/staff/setup/hours/{therapist.pk}/"
    outside = web.post(
        hours_url, {"where_0_0": clinic.pk, "start_0_0": "08:00", "end_0_0": "16:00"}
    )
    assert "is not open for all of 08:00–16:00" in outside.content.decode()
    assert not WeeklyShift.objects.filter(therapist=therapist).exists()
    assert (
        web.post(
            hours_url,
            {
                "techniques": ["deep_tissue", "swedish"],
                "where_0_0": clinic.pk,
                "start_0_0": "09:00",
                "end_0_0": "17:00",
                "break_start_0": "12:00",
                "break_end_0": "12:30",
                "where_2_0": clinic.pk,
                "start_2_0": "12:00",
                "end_2_0": "20:00",
            },
        ).status_code
        == 302
    )
    assert WeeklyShift.objects.filter(therapist=therapist).count() == 2
    therapist.refresh_from_db()
    assert therapist.modalities == ["deep_tissue", "swedish"]
    shorter = web.post(f"/staff/setup/locations/{clinic.pk}/", clinic_form | {"closes_2": "18:00"})
    assert "works here Wednesday 12:00–20:00" in shorter.content.decode()
    assert OpeningHours.objects.get(location=clinic, weekday=2).closes_at.hour == 20

    policy = web.post(
        "/staff/setup/cancellation/",
        {
            "cancellation_policy_en": "",
            "cancellation_notice_hours": "24",
            "late_cancellation_fee_percent": "50",
            "minimum_notice_minutes": "120",
            "booking_window_days": "60",
        },
    )
    assert "write it" in policy.content.decode()
    assert (
        web.post(
            "/staff/setup/cancellation/",
            {
                "cancellation_policy_en": "Please give 24 hours' notice.",
                "cancellation_notice_hours": "24",
                "late_cancellation_fee_percent": "50",
                "minimum_notice_minutes": "120",
                "booking_window_days": "60",
            },
        ).status_code
        == 302
    )
    assert (
        web.post(
            "/staff/setup/reminders/", {"reminder_lead_hours": "48", "sends_text_messages": ""}
        ).status_code
        == 302
    )

    practice.refresh_from_db()
    assert practice.display_name == "Lakeshore RMT" and practice.brand_colour == "#2f6f5e"
    assert practice.tax_number == "123456789 RT0001" and practice.reminder_lead_hours == 48
    assert practice.sends_text_messages is False
    page = web.get("/staff/setup/").content.decode()
    assert "Every step is done: open online booking to go live" in page
    assert "Open online booking" in page
    assert (
        "not taking online bookings yet"
        in WebClient().get("/book/lakeshore/services/").content.decode()
    )

    opened = web.post("/staff/setup/open-booking/", {"open": "yes"}, follow=True)
    assert "clients can book now" in opened.content.decode()
    booking = WebClient().get("/book/lakeshore/services/").content.decode()
    assert "Therapeutic massage" in booking
    assert "Lakeshore RMT" in WebClient().get("/").content.decode()


@pytest.mark.parametrize("role", ["therapist", "front_desk", "bookkeeper"])
def test_only_the_owner_sets_the_practice_up(maple: Any, signed_in: Any, role: str) -> None:
    user = {
        "therapist": maple.therapist_user,
        "front_desk": maple.front_desk,
        "bookkeeper": maple.bookkeeper,
    }[role]
    web = signed_in(user)
    for path in (
        "/staff/setup/",
        "/staff/setup/details/",
        "/staff/setup/services/new/",
        "/staff/team/",
    ):
        assert web.get(path).status_code == 403
    assert web.post("/staff/setup/open-booking/", {"open": "no"}).status_code == 403
    assert Practice.objects.get(pk=maple.practice.pk).booking_open


def test_a_practice_cannot_edit_another_practices_set_up(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    web = signed_in(maple.owner)
    other = Service.objects.get(practice=birch.practice)
    assert web.get(f"/staff/setup/services/{other.pk}/").status_code == 404
    assert web.get(f"/staff/setup/hours/{birch.therapist.pk}/").status_code == 404
