"""Reminders go out once per visit time, by email and, with consent, by text."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from icalendar import Calendar

from fascia.clients.models import Client
from fascia.notifications.models import OutboundMessage
from fascia.notifications.outbox import deliver_due_messages
from fascia.notifications.sms import MemorySmsBackend
from fascia.scheduling.attendance import cancel_appointment
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.messages import queue_due_reminders
from fascia.scheduling.models import Appointment
from fascia.scheduling.moves import reschedule_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at


@pytest.fixture
def visit(week: ClinicWeek) -> Appointment:
    Client.objects.filter(pk=week.client.pk).update(
        consents_to_sms_reminders=True, phone="+14165550111"
    )
    week.client.refresh_from_db()
    appointment = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    OutboundMessage.objects.all().delete()  # the confirmation is tested elsewhere
    MemorySmsBackend.outbox.clear()
    return appointment.appointment


def reminders() -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(dedupe_key__contains="reminder"))


def test_a_reminder_is_queued_once_inside_the_lead_time(visit: Appointment) -> None:
    assert queue_due_reminders(now=at(MONDAY, 10) - timedelta(hours=30)) == 0
    day_before = at(MONDAY, 10) - timedelta(hours=23)
    assert queue_due_reminders(now=day_before) == 1
    assert queue_due_reminders(now=day_before + timedelta(minutes=5)) == 0
    assert sorted(m.channel for m in reminders()) == ["email", "sms"]
    deliver_due_messages(now=day_before)
    (email,) = mail.outbox
    assert email.subject == "Reminder: your appointment"
    assert "Monday, March 3 at 10:00 AM" in email.body
    assert MemorySmsBackend.outbox[0][0] == "+14165550111"


def test_a_moved_visit_is_reminded_of_its_new_time(visit: Appointment, week: ClinicWeek) -> None:
    queue_due_reminders(now=at(MONDAY, 10) - timedelta(hours=23))
    reschedule_appointment(visit, start=at(MONDAY, 15), as_staff=True, now=NOW)
    assert queue_due_reminders(now=at(MONDAY, 15) - timedelta(hours=23)) == 1
    assert len([m for m in reminders() if m.channel == "email"]) == 2


def test_no_reminder_for_a_cancelled_visit_or_without_consent(
    visit: Appointment, week: ClinicWeek
) -> None:
    cancel_appointment(visit, now=NOW)
    assert queue_due_reminders(now=at(MONDAY, 10) - timedelta(hours=23)) == 0
    Client.objects.filter(pk=week.client.pk).update(
        consents_to_email_reminders=False, consents_to_sms_reminders=False
    )
    other = book_appointment(week.practice, week.request(at(MONDAY, 14)), now=NOW).appointment
    OutboundMessage.objects.all().delete()
    assert queue_due_reminders(now=at(MONDAY, 14) - timedelta(hours=23)) == 1  # claimed...
    assert not OutboundMessage.objects.filter(dedupe_key__contains=f"reminder:{other.pk}")


def test_a_visit_booked_inside_the_lead_time_gets_no_separate_reminder(week: ClinicWeek) -> None:
    late_booking_time = at(MONDAY, 10) - timedelta(hours=5)
    book_appointment(
        week.practice, week.request(at(MONDAY, 10), as_staff=True), now=late_booking_time
    )
    Appointment.objects.update(created_at=late_booking_time)
    assert queue_due_reminders(now=late_booking_time + timedelta(minutes=1)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_queue_each_reminder_once(visit: Appointment) -> None:
    moment = at(MONDAY, 10) - timedelta(hours=23)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        barrier.wait()
        try:
            counts.append(queue_due_reminders(now=moment))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts) == [0, 1]
    assert len(reminders()) == 2  # one email, one text


def test_the_confirmation_calendar_file_opens_in_a_calendar(
    week: ClinicWeek, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_appointment(
            week.practice, week.request(at(MONDAY, 10)), now=NOW
        ).appointment
    message = OutboundMessage.objects.get(channel="email")
    calendar = Calendar.from_ical(message.calendar_file)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == at(MONDAY, 10)
    assert event.decoded("dtend") == at(MONDAY, 11)
    assert str(event["summary"]) == "Swedish massage with Maple Massage Therapist, RMT"
    assert "Clinic" in str(event["location"])
    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(appointment, now=NOW)
    cancelled = OutboundMessage.objects.filter(subject="Your appointment is cancelled").get()
    assert Calendar.from_ical(cancelled.calendar_file)["method"] == "CANCEL"
