"""Online booking screens: each step, the hold, new accounts, policy, moving and cancelling."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from urllib.parse import quote

from django.test import Client as WebClient

from fascia.accounts.models import User
from fascia.clients.models import Client
from fascia.scheduling.models import Appointment, AppointmentStatus, SlotHold
from fascia.scheduling.tests.conftest import SOON as DAY
from fascia.scheduling.tests.conftest import TORONTO, ClinicWeek

START = datetime.combine(DAY, time(10), tzinfo=TORONTO)


def choice(clinic_week: ClinicWeek, **extra: Any) -> str:
    query = (
        f"service={clinic_week.service.pk}&minutes=60&therapist=any"
        f"&location={clinic_week.clinic.pk}"
    )
    return query + "".join(f"&{key}={value}" for key, value in extra.items())


def details_url(week: ClinicWeek, start: datetime = START, therapist: Any = None) -> str:
    therapist = therapist or week.maya
    return (
        f"/book/maple/details/?{choice(week)}&start={quote(start.isoformat())}"
        f"&slot_therapist={therapist.pk}"
    )


NEW_PERSON = {
    "confirm": "1",
    "legal_first_name": "Jordan",
    "legal_last_name": "Rivera",
    "email": "jordan@example.com",
    "phone": "4165550123",
    "password": "a-long-enough-password",
    "idempotency_key": "once",
}


def test_the_steps_offer_what_the_practice_offers(open_week: ClinicWeek, client: WebClient) -> None:
    services = client.get("/book/maple/").content.decode()
    assert "Swedish massage" in services and "60 min · $120.00" in services
    therapists = client.get(f"/book/maple/therapist/?service={open_week.service.pk}&minutes=60")
    assert "Anyone available" in therapists.content.decode()
    assert "Dan Okafor" in therapists.content.decode()
    # One clinic and no home visits: the location step is skipped.
    location = client.get(
        f"/book/maple/location/?service={open_week.service.pk}&minutes=60&therapist=any"
    )
    assert location.status_code == 302 and "/book/maple/time/" in location["Location"]
    times = client.get(f"/book/maple/time/?{choice(open_week, week=DAY.isoformat())}")
    html = times.content.decode()
    assert "9:00 AM" in html and "4:00 PM" in html
    nine = quote(datetime.combine(DAY, time(9), tzinfo=TORONTO).isoformat(), safe="")
    assert html.count(f"start={nine}") == 1  # "anyone": one button per time, not per therapist


def test_unknown_choices_are_not_found(open_week: ClinicWeek, client: WebClient) -> None:
    assert client.get("/book/maple/therapist/?service=999999&minutes=60").status_code == 404
    assert client.get("/book/nowhere/").status_code == 404


def test_opening_the_details_step_holds_the_time(open_week: ClinicWeek, client: WebClient) -> None:
    page = client.get(details_url(open_week))
    assert page.status_code == 200
    assert "holding this time for you for 5 minutes" in page.content.decode()
    assert SlotHold.objects.count() == 1
    client.get(details_url(open_week))  # a reload keeps the same hold
    assert SlotHold.objects.count() == 1


def test_a_new_person_books_after_accepting_the_policy(
    open_week: ClinicWeek, client: WebClient
) -> None:
    refused = client.post(details_url(open_week), NEW_PERSON)
    assert "read and accept the cancellation policy" in refused.content.decode()
    assert not Appointment.objects.exists()
    booked = client.post(details_url(open_week), {**NEW_PERSON, "accept_policy": "on"})
    assert booked.status_code == 302, booked.content.decode()[:3000]
    appointment = Appointment.objects.get()
    assert appointment.client.email == "jordan@example.com"
    assert appointment.client.user == User.objects.get(email="jordan@example.com")
    assert appointment.starts_at == START
    assert not SlotHold.objects.exists()
    done = client.get(booked["Location"])
    assert "You're booked" in done.content.decode()
    # A second click of the same form books nothing more.
    client.post(details_url(open_week), {**NEW_PERSON, "accept_policy": "on"})
    assert Appointment.objects.count() == 1


def test_an_existing_email_must_sign_in(open_week: ClinicWeek, client: WebClient) -> None:
    response = client.post(
        details_url(open_week), {**NEW_PERSON, "email": "client@maple.test", "accept_policy": "on"}
    )
    assert "already exists; please sign in" in response.content.decode()
    assert Client.objects.filter(email="client@maple.test").count() == 1


def test_a_time_taken_meanwhile_sends_the_client_back(
    open_week: ClinicWeek, client: WebClient
) -> None:
    other = WebClient()
    other.get(details_url(open_week))  # someone else holds 10:00 with Maya
    response = client.get(details_url(open_week))
    assert response.status_code == 302 and "/book/maple/time/" in response["Location"]


def test_a_signed_in_client_moves_and_cancels(open_week: ClinicWeek, signed_in: Any) -> None:
    web = signed_in(open_week.cast.client_user)
    booked = web.post(
        details_url(open_week), {"confirm": "1", "accept_policy": "on", "idempotency_key": "a"}
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get(client=open_week.client)
    later = datetime.combine(DAY, time(14), tzinfo=TORONTO)
    move_url = details_url(open_week, later) + f"&reschedule={appointment.pk}"
    assert "Move your appointment" in web.get(move_url).content.decode()
    moved = web.post(move_url, {"confirm": "1"})
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == later
    account = web.get("/account/").content.decode()
    assert "Change time" in account
    web.post(f"/account/appointments/{appointment.pk}/cancel/")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_clients_cannot_cancel_or_view_someone_elses_visit(
    open_week: ClinicWeek, signed_in: Any
) -> None:
    web = signed_in(open_week.cast.client_user)
    web.post(details_url(open_week), {"confirm": "1", "accept_policy": "on"})
    appointment = Appointment.objects.get()
    stranger = signed_in(User.objects.create_user("stranger@example.com", "pw-stranger-1"))
    assert stranger.post(f"/account/appointments/{appointment.pk}/cancel/").status_code == 404
    assert stranger.get(f"/book/maple/booked/{appointment.pk}/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
