"""The client fills in the health history from the booking confirmation's single-use link,
or from their account."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client as WebClient

from fascia.notifications.models import OutboundMessage
from fascia.notifications.outbox import deliver_due_messages
from fascia.records.models import HealthHistory, IntakeLink
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at


def test_the_confirmation_links_to_a_single_use_health_history_form(
    week: ClinicWeek, client: WebClient, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.FASCIA_BASE_URL = "https://clinic.example"
    with django_capture_on_commit_callbacks(execute=True):
        book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    # The queued message holds no live link; it is made as the message goes out.
    assert "/intake/" not in OutboundMessage.objects.get(channel="email").body
    assert not IntakeLink.objects.exists()
    deliver_due_messages()
    body = next(m.body for m in mail.outbox if "/intake/" in m.body)
    url = next(line for line in body.splitlines() if "/intake/" in line)
    path = url.removeprefix("https://clinic.example")
    form = client.get(path).content.decode()
    assert "Why we ask:" in form and form.count("Prefer not to answer this section") == 7
    assert 'data-shown-if="pregnant=yes"' in form  # the weeks are asked only if pregnant
    done = client.post(
        path,
        {
            "reason": "Tension headaches",
            "conditions": ["headaches"],
            "skip_medications_and_allergies": "on",
            "why_medications_and_allergies": "Not sure",
            "pregnancy_weeks": "12",  # a follow-up left from before "pregnant" was cleared
        },
    )
    assert "Thank you" in done.content.decode()
    history = HealthHistory.objects.get(client=week.client)
    assert history.answers == {"reason": "Tension headaches", "conditions": ["headaches"]}
    # One box skips what the section left blank; the closed follow-up is not kept.
    assert history.skipped == dict.fromkeys(
        ["medications", "medication_flags", "allergies", "lotion_allergy"], "Not sure"
    )
    assert client.get(path).status_code == 410  # works once
    # With a history on file, the next confirmation does not ask again.
    OutboundMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        book_appointment(week.practice, week.request(at(MONDAY, 14)), now=NOW)
    assert "/intake/" not in OutboundMessage.objects.get(channel="email").body


def test_a_client_updates_their_history_from_their_account(
    week: ClinicWeek, signed_in: Any
) -> None:
    web = signed_in(week.client.user)
    url = f"/account/health-history/{week.client.pk}/"
    assert "Your health history" in web.get(url).content.decode()
    web.post(url, {"reason": "Low back pain", "pregnant": "no"})
    web.post(url, {"reason": "Low back pain", "pregnant": "yes", "pregnancy_weeks": "20"})
    versions = list(HealthHistory.objects.filter(client=week.client).order_by("version"))
    assert [v.answers.get("pregnant") for v in versions] == [False, True]
    other = web.get(f"/account/health-history/{week.other_client.pk}/")
    assert other.status_code == 404  # not theirs: as if it did not exist (and audited)
