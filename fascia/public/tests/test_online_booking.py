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


def hold(
    web: WebClient,
    week: ClinicWeek,
    start: datetime = START,
    therapist: Any = None,
    extra: str = "",
) -> str:
    """Choose a time on the time step (a POST, which holds it); the details step's URL."""
    therapist = therapist or week.maya
    response = web.post(
        f"/book/maple/time/?{choice(week)}{extra}", {"slot": f"{start.isoformat()}|{therapist.pk}"}
    )
    assert response.status_code == 302 and "/details/" in response["Location"], response
    return str(response["Location"])


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
    nine = datetime.combine(DAY, time(9), tzinfo=TORONTO).isoformat()
    assert html.count(f'value="{nine}|') == 1  # "anyone": one button per time, not per therapist


def test_unknown_choices_are_not_found(open_week: ClinicWeek, client: WebClient) -> None:
    assert client.get("/book/maple/therapist/?service=999999&minutes=60").status_code == 404
    assert client.get("/book/nowhere/").status_code == 404


def test_choosing_a_time_holds_it_and_opening_a_page_holds_nothing(
    open_week: ClinicWeek, client: WebClient
) -> None:
    # A crawler following links holds nothing: the details step needs a chosen time.
    assert client.get(details_url(open_week)).status_code == 302
    assert not SlotHold.objects.exists()
    page = client.get(hold(client, open_week))
    assert page.status_code == 200
    assert "holding this time for you for 5 minutes" in page.content.decode()
    assert SlotHold.objects.count() == 1
    client.get(details_url(open_week))  # a reload keeps the same hold
    assert SlotHold.objects.count() == 1
    # Choosing another time releases the first: one live hold per browser.
    later = datetime.combine(DAY, time(11), tzinfo=TORONTO)
    hold(client, open_week, later)
    assert list(SlotHold.objects.values_list("busy_from", flat=True)) == [later]


def test_a_hold_needs_a_time_that_could_be_booked(open_week: ClinicWeek, client: WebClient) -> None:
    from datetime import timedelta

    past = datetime.combine(DAY - timedelta(days=30), time(10), tzinfo=TORONTO)
    too_far = datetime.combine(DAY + timedelta(days=400), time(10), tzinfo=TORONTO)
    for start in (past, too_far):
        response = client.post(
            f"/book/maple/time/?{choice(open_week)}",
            {"slot": f"{start.isoformat()}|{open_week.maya.pk}"},
            follow=True,
        )
        assert "/book/maple/time/" in response.redirect_chain[-1][0]
    assert not SlotHold.objects.exists()


def test_one_address_holds_only_a_few_times(open_week: ClinicWeek) -> None:
    from fascia.scheduling.holds import HOLDS_PER_ADDRESS

    times = [
        (datetime.combine(DAY, time(hour), tzinfo=TORONTO), therapist)
        for hour in (9, 11, 13, 15)
        for therapist in (open_week.maya, open_week.dan)
    ]
    for start, therapist in times[:HOLDS_PER_ADDRESS]:
        hold(WebClient(), open_week, start, therapist)  # each a browser of its own
    start, therapist = times[HOLDS_PER_ADDRESS]
    refused = WebClient().post(
        f"/book/maple/time/?{choice(open_week)}",
        {"slot": f"{start.isoformat()}|{therapist.pk}"},
        follow=True,
    )
    assert "Too many times are being held" in refused.content.decode()
    assert SlotHold.objects.count() == HOLDS_PER_ADDRESS


def test_a_new_person_books_after_accepting_the_policy(
    open_week: ClinicWeek, client: WebClient
) -> None:
    url = hold(client, open_week)
    refused = client.post(url, NEW_PERSON)
    assert "read and accept the cancellation policy" in refused.content.decode()
    assert not Appointment.objects.exists()
    booked = client.post(url, {**NEW_PERSON, "accept_policy": "on"})
    assert booked.status_code == 302, booked.content.decode()[:3000]
    appointment = Appointment.objects.get()
    assert appointment.client.email == "jordan@example.com"
    assert appointment.client.user == User.objects.get(email="jordan@example.com")
    assert appointment.starts_at == START
    assert not SlotHold.objects.exists()
    done = client.get(booked["Location"])
    assert "You're booked" in done.content.decode()
    # A second click of the same form books nothing more.
    client.post(url, {**NEW_PERSON, "accept_policy": "on"})
    assert Appointment.objects.count() == 1


def test_an_existing_email_must_sign_in(open_week: ClinicWeek, client: WebClient) -> None:
    response = client.post(
        hold(client, open_week),
        {**NEW_PERSON, "email": "client@maple.test", "accept_policy": "on"},
    )
    assert "already exists; please sign in" in response.content.decode()
    assert Client.objects.filter(email="client@maple.test").count() == 1


def test_a_time_taken_meanwhile_sends_the_client_back(
    open_week: ClinicWeek, client: WebClient
) -> None:
    other = WebClient()
    hold(other, open_week)  # someone else holds 10:00 with Maya
    response = client.post(
        f"/book/maple/time/?{choice(open_week)}",
        {"slot": f"{START.isoformat()}|{open_week.maya.pk}"},
        follow=True,
    )
    assert "/book/maple/time/" in response.redirect_chain[-1][0]
    assert "no longer available" in response.content.decode()


def test_a_signed_in_client_moves_and_cancels(open_week: ClinicWeek, signed_in: Any) -> None:
    web = signed_in(open_week.cast.client_user)
    booked = web.post(
        hold(web, open_week), {"confirm": "1", "accept_policy": "on", "idempotency_key": "a"}
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get(client=open_week.client)
    later = datetime.combine(DAY, time(14), tzinfo=TORONTO)
    move_url = hold(web, open_week, later, extra=f"&reschedule={appointment.pk}")
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
    web.post(hold(web, open_week), {"confirm": "1", "accept_policy": "on"})
    appointment = Appointment.objects.get()
    stranger = signed_in(User.objects.create_user("stranger@example.com", "pw-stranger-1"))
    assert stranger.post(f"/account/appointments/{appointment.pk}/cancel/").status_code == 404
    assert stranger.get(f"/book/maple/booked/{appointment.pk}/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
