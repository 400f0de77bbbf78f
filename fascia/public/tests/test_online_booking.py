"""Online booking screens: each step, the hold, booking by an emailed link without signing
in (the same answer whoever the address belongs to), policy, moving and cancelling."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import quote

from django.test import Client as WebClient
from django.utils import timezone

from fascia.accounts.models import User
from fascia.clients.models import Client
from fascia.notifications.models import OutboundMessage
from fascia.public.email_confirmation import forget_unconfirmed_bookings
from fascia.public.models import UnconfirmedBooking
from fascia.public.tests.emails import emailed_link
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


def test_a_new_person_books_by_following_the_emailed_link(
    open_week: ClinicWeek, client: WebClient, django_capture_on_commit_callbacks: Any
) -> None:
    url = hold(client, open_week)
    refused = client.post(url, NEW_PERSON)
    assert "read and accept the cancellation policy" in refused.content.decode()
    assert not UnconfirmedBooking.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(url, {**NEW_PERSON, "accept_policy": "on"})
        again = client.post(url, {**NEW_PERSON, "accept_policy": "on"})  # a second click
    assert "Check your email" in answered.content.decode()
    assert again.content == answered.content
    assert UnconfirmedBooking.objects.count() == 1
    # Nothing is booked and no account exists until the link is followed.
    assert not Appointment.objects.exists()
    assert not User.objects.filter(email="jordan@example.com").exists()
    link = emailed_link("jordan@example.com")
    phone = WebClient()  # the email is often opened on another device
    page = phone.get(link)
    assert "Confirm your booking" in page.content.decode()
    assert not Appointment.objects.exists()  # opening the link (a mail scanner) books nothing
    booked = phone.post(link)
    assert booked.status_code == 302, booked.content.decode()[:2000]
    appointment = Appointment.objects.get()
    assert appointment.client.email == "jordan@example.com"
    assert appointment.starts_at == START
    user = User.objects.get(email="jordan@example.com")
    assert appointment.client.user == user and not user.has_usable_password()
    done = phone.get(booked["Location"]).content.decode()
    assert "You're booked" in done and "Choose a password for next time" in done
    phone.post(
        "/account/password/",
        {"new_password1": "a-long-enough-password", "new_password2": "a-long-enough-password"},
    )
    user.refresh_from_db()
    assert user.check_password("a-long-enough-password")
    # Following the link again books nothing more.
    phone.post(link)
    assert Appointment.objects.count() == 1


def test_the_form_answers_alike_for_known_and_unknown_addresses(
    open_week: ClinicWeek, client: WebClient, django_capture_on_commit_callbacks: Any
) -> None:
    url = hold(client, open_week)
    pages = {}
    with django_capture_on_commit_callbacks(execute=True):
        for email, key in (("client@maple.test", "k1"), ("new.person@example.com", "k2")):
            answer = client.post(
                url, {**NEW_PERSON, "email": email, "accept_policy": "on", "idempotency_key": key}
            )
            assert answer.status_code == 200
            pages[email] = answer.content.decode().replace(email, "EMAIL")
    assert pages["client@maple.test"] == pages["new.person@example.com"]
    assert "already" not in pages["client@maple.test"]
    assert not Appointment.objects.exists()
    # The difference is in the email, which only the address's owner reads.
    known = OutboundMessage.objects.get(to="client@maple.test")
    assert "You already have an account" in known.body
    assert "open your account" in OutboundMessage.objects.get(to="new.person@example.com").body
    # Following it books into the existing client record, without signing anyone in.
    link = emailed_link("client@maple.test")
    stranger = WebClient()
    done = stranger.post(link)
    assert "You're booked" in done.content.decode()
    appointment = Appointment.objects.get()
    assert appointment.client == open_week.client
    assert Client.objects.filter(email="client@maple.test").count() == 1
    assert stranger.get("/account/").status_code == 302  # not signed in
    assert "Choose a password" not in done.content.decode()


def test_an_expired_or_unknown_link_says_so_and_its_details_are_forgotten(
    open_week: ClinicWeek, client: WebClient, django_capture_on_commit_callbacks: Any
) -> None:
    assert client.get("/book/maple/confirm/not-a-token/").status_code == 410
    assert client.post("/book/maple/confirm/not-a-token/").status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        client.post(hold(client, open_week), {**NEW_PERSON, "accept_policy": "on"})
    link = emailed_link("jordan@example.com")
    asked = UnconfirmedBooking.objects.get()
    assert forget_unconfirmed_bookings(now=asked.expires_at) == 0
    UnconfirmedBooking.objects.update(expires_at=asked.created_at)
    assert client.post(link).status_code == 410
    assert not Appointment.objects.exists()
    assert forget_unconfirmed_bookings(now=asked.created_at + timedelta(days=2)) == 1
    assert not UnconfirmedBooking.objects.exists()


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
    stranger = signed_in(
        User.objects.create_user(
            "stranger@example.com", "pw-stranger-1", email_verified_at=timezone.now()
        )
    )
    assert stranger.post(f"/account/appointments/{appointment.pk}/cancel/").status_code == 404
    assert stranger.get(f"/book/maple/booked/{appointment.pk}/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
