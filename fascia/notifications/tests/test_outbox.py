"""Messages are queued in the database and delivered at most once, by any number of workers."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from fascia.notifications.models import Channel, MessageStatus, OutboundMessage
from fascia.notifications.outbox import Message, deliver_due_messages, enqueue
from fascia.notifications.sms import MemorySmsBackend


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> None:
    MemorySmsBackend.outbox.clear()


def test_email_goes_out_with_its_calendar_attachment(maple: Any) -> None:
    enqueue(
        maple.practice,
        Message(
            channel=Channel.EMAIL,
            to="casey@example.com",
            subject="Booked",
            body="See you Monday.",
            calendar_file="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            calendar_method="PUBLISH",
        ),
    )
    assert deliver_due_messages() == 1
    (email,) = mail.outbox
    assert (email.to, email.subject, email.body) == (
        ["casey@example.com"],
        "Booked",
        "See you Monday.",
    )
    name, content, mimetype = email.attachments[0]
    assert name == "appointment.ics" and "VCALENDAR" in content
    assert mimetype.startswith("text/calendar")
    assert OutboundMessage.objects.get().status == MessageStatus.SENT
    assert deliver_due_messages() == 0  # nothing twice


def test_text_messages_use_the_sms_backend(maple: Any) -> None:
    enqueue(maple.practice, Message(channel=Channel.SMS, to="+14165550100", body="Reminder"))
    deliver_due_messages()
    assert MemorySmsBackend.outbox == [("+14165550100", "Reminder")]


def test_a_dedupe_key_queues_a_message_once(maple: Any) -> None:
    message = Message(channel=Channel.SMS, to="+14165550100", body="Hi", dedupe_key="k1")
    assert enqueue(maple.practice, message) is not None
    assert enqueue(maple.practice, message) is None
    assert OutboundMessage.objects.count() == 1


def test_scheduled_messages_wait_until_due(maple: Any) -> None:
    later = timezone.now() + timedelta(hours=1)
    enqueue(maple.practice, Message(channel=Channel.SMS, to="+1", body="Later", send_after=later))
    assert deliver_due_messages() == 0
    assert deliver_due_messages(now=later + timedelta(seconds=1)) == 1


def test_a_failing_backend_is_retried_with_backoff_then_given_up(maple: Any, settings: Any) -> None:
    settings.SMS_BACKEND = "fascia.notifications.tests.test_outbox.BrokenSms"
    enqueue(maple.practice, Message(channel=Channel.SMS, to="+1", body="x"))
    now = timezone.now()
    for attempt in range(1, 6):
        deliver_due_messages(now=now)
        message = OutboundMessage.objects.get()
        assert message.attempts == attempt
        assert "gateway down" in message.last_error
        now = message.send_after
    assert message.status == MessageStatus.FAILED


class BrokenSms:
    def send(self, to: str, body: str) -> None:
        raise ConnectionError("gateway down")


def test_a_message_interrupted_mid_send_is_not_sent_again(maple: Any) -> None:
    message = enqueue(maple.practice, Message(channel=Channel.SMS, to="+1", body="x"))
    assert message is not None
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert deliver_due_messages() == 0
    assert OutboundMessage.objects.get().status == MessageStatus.FAILED
    assert MemorySmsBackend.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_a_message_twice(maple: Any) -> None:
    for n in range(30):
        enqueue(maple.practice, Message(channel=Channel.SMS, to=f"+1{n}", body=f"m{n}"))
    barrier = threading.Barrier(2)

    def worker() -> None:
        barrier.wait()
        try:
            while deliver_due_messages():
                pass
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    sent = sorted(to for to, _ in MemorySmsBackend.outbox)
    assert sent == sorted(f"+1{n}" for n in range(30))
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_the_worker_command_runs_its_jobs(maple: Any) -> None:
    enqueue(maple.practice, Message(channel=Channel.SMS, to="+1", body="From the worker"))
    out = StringIO()
    call_command("worker", "--rounds", "1", "--interval", "0", stdout=out)
    assert "queue_due_reminders, deliver_due_messages, release_expired_holds" in out.getvalue()
    assert MemorySmsBackend.outbox == [("+1", "From the worker")]
