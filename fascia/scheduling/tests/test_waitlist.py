"""The waitlist: a freed time goes to the first client it suits, held for them; unanswered, it
passes to the next; accepting books through the ordinary booking path.

These run on the real clock (offers are made when a cancellation is saved), a week ahead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from fascia.clients.actions import register_client
from fascia.notifications.models import OutboundMessage
from fascia.notifications.outbox import deliver_due_messages
from fascia.scheduling.attendance import cancel_appointment
from fascia.scheduling.booking import BookingError, SlotUnavailable, book_appointment
from fascia.scheduling.models import (
    Appointment,
    AppointmentStatus,
    OfferStatus,
    SlotHold,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from fascia.scheduling.tests.conftest import SOON, ClinicWeek, MobileWeek, at
from fascia.scheduling.waitlist import (
    accept_waitlist_offer,
    expire_waitlist_offers,
    join_waitlist,
    offer_freed_time,
    offer_token,
)

DAY = SOON


def waiting_client(week: ClinicWeek, name: str, **changes: Any) -> WaitlistEntry:
    client = register_client(
        week.practice,
        by=None,
        legal_first_name=name,
        legal_last_name="Waiting",
        email=f"{name.lower()}@example.com",
    )
    values: dict[str, Any] = {
        "client": client,
        "service": week.service,
        "location": week.clinic,
        "minutes": 60,
        "earliest": DAY - timedelta(days=1),
        "latest": DAY + timedelta(days=4),
    }
    values.update(changes)
    return join_waitlist(week.practice, **values)


@pytest.fixture
def freed(week: ClinicWeek, settings: Any) -> Any:
    """Maya's Tuesday 10:00 is booked, then cancelled (the test's 'now' is the Saturday)."""
    settings.FASCIA_BASE_URL = "https://clinic.example"
    week.practice.works_statutory_holidays = True
    week.practice.save()
    appointment = book_appointment(week.practice, week.request(at(DAY, 10))).appointment
    return appointment


def cancel(appointment: Appointment) -> None:
    cancel_appointment(appointment, as_staff=True)


def test_a_freed_time_reaches_the_first_client_then_the_next_after_the_hold(
    week: ClinicWeek, freed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = waiting_client(week, "Ada")
    second = waiting_client(week, "Ben")
    OutboundMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_freed_time(
            week.practice, therapist=week.maya, location=week.clinic, start=at(DAY, 10)
        )
    assert offer is None  # still booked: nothing to offer
    with django_capture_on_commit_callbacks(execute=True):
        cancel(freed)
    offer = WaitlistOffer.objects.get()
    assert offer.entry == first and offer.status == OfferStatus.OFFERED
    message = OutboundMessage.objects.get(to="ada@example.com", channel="email")
    # The queued message holds no live link (nor does the offer): the link is made as it goes.
    link = "https://clinic.example/waitlist/offers/" + offer_token(offer)
    assert link not in message.body and offer_token(offer) not in offer.token_digest
    assert len(offer_token(offer)) >= 43  # 32 bytes
    deliver_due_messages()
    assert link in mail.outbox[-1].body
    # The held time is not offered to anyone else meanwhile.
    assert SlotHold.objects.filter(token=offer.hold_token).exists()
    with pytest.raises(SlotUnavailable):
        book_appointment(week.practice, week.request(at(DAY, 10), client=week.other_client))
    # An hour later (the practice's offer time), it passes to Ben.
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_waitlist_offers(now=offer.expires_at + timedelta(seconds=1)) == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    second_offer = WaitlistOffer.objects.get(status=OfferStatus.OFFERED)
    assert second_offer.entry == second
    assert OutboundMessage.objects.filter(to="ben@example.com").exists()
    appointment = accept_waitlist_offer(offer_token(second_offer), accepts_cancellation_policy=True)
    assert (appointment.client, appointment.starts_at) == (second.client, at(DAY, 10))
    second.refresh_from_db()
    assert (second.status, second.appointment) == (WaitlistStatus.BOOKED, appointment)
    with pytest.raises(BookingError, match="lapsed"):
        accept_waitlist_offer(offer_token(offer))


def test_a_time_taken_meanwhile_is_refused_and_goes_to_the_next(
    week: ClinicWeek, freed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    waiting_client(week, "Ada")
    ben = waiting_client(week, "Ben")
    with django_capture_on_commit_callbacks(execute=True):
        cancel(freed)
    offer = WaitlistOffer.objects.get()
    # Staff book over the hold's time by mistake through another path: the hold is gone.
    SlotHold.objects.all().delete()
    book_appointment(
        week.practice,
        week.request(at(DAY, 10), client=week.other_client, as_staff=True),
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(SlotUnavailable, match="taken just before you answered"),
    ):
        accept_waitlist_offer(offer_token(offer), accepts_cancellation_policy=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.TAKEN
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1
    # Ben is not offered a time that is taken.
    assert not WaitlistOffer.objects.filter(entry=ben).exists()


def test_offers_respect_the_clients_therapist_dates_and_times_of_day(
    week: ClinicWeek, freed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    waiting_client(week, "Dan-only", therapist=week.dan)
    waiting_client(week, "Evening", times_of_day=["evening"])
    waiting_client(week, "Later", earliest=DAY + timedelta(days=1))
    suits = waiting_client(week, "Morning", times_of_day=["morning"])
    with django_capture_on_commit_callbacks(execute=True):
        cancel(freed)
    assert WaitlistOffer.objects.get().entry == suits


def test_home_visits_are_offered_only_to_clients_the_therapist_can_reach(
    mobile_week: MobileWeek, django_capture_on_commit_callbacks: Any
) -> None:
    week = mobile_week.week
    week.practice.works_statutory_holidays = True
    week.practice.save()
    book = book_appointment(
        week.practice,
        week.request(
            at(DAY, 12, 30), location=mobile_week.mobile, address=mobile_week.home("M5V 3L9")
        ),
    ).appointment
    book_appointment(
        week.practice,
        week.request(
            at(DAY, 11, 0),
            client=week.other_client,
            location=mobile_week.mobile,
            address=mobile_week.home("M5J 2N8"),
        ),
    )
    # Guelph at 12:30 cannot be reached from downtown Toronto by 11:00 + packing + 72 min.
    far = waiting_client(
        week, "Far", location=mobile_week.mobile, address=mobile_week.home("N1G 2W1")
    )
    near = waiting_client(
        week, "Near", location=mobile_week.mobile, address=mobile_week.home("M5A 1A1")
    )
    with django_capture_on_commit_callbacks(execute=True):
        cancel(book)
    offer = WaitlistOffer.objects.get()
    assert offer.entry == near
    assert not WaitlistOffer.objects.filter(entry=far).exists()


def test_joining_the_waitlist_checks_the_request(week: ClinicWeek) -> None:
    with pytest.raises(BookingError, match="last date must not be before"):
        waiting_client(week, "Early", earliest=DAY + timedelta(days=3), latest=DAY)
    with pytest.raises(BookingError, match="Unknown time of day"):
        waiting_client(week, "Night", times_of_day=["midnight"])
    assert not WaitlistEntry.objects.exists()
