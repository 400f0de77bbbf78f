"""A client's request to see or correct their record: logged with its 30-day deadline, extended
once by up to 30 days with a notice to the client, answered with its outcome (a refusal says
why), a correction written as an amendment beside the original; overdue requests show on the
owner's home page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fascia.notifications.models import OutboundMessage
from fascia.records.errors import RecordError
from fascia.records.models import NoteAmendment, RecordRequest, TreatmentNote
from fascia.records.requests import (
    answer_record_request,
    extend_record_request,
    log_record_request,
    overdue_requests,
)
from fascia.records.tests.conftest import Chart
from fascia.records.tests.test_whole_record import kept  # noqa: F401 - the shared fixture

PAGE = "/staff/records/requests/"


def today(chart: Chart) -> Any:
    return timezone.localdate(timezone=chart.week.practice.zone)


def test_a_request_is_due_in_30_days_and_extended_once_with_a_notice(
    kept: Chart,  # noqa: F811
) -> None:
    owner = kept.week.cast.owner
    asked = log_record_request(
        kept.client,
        kind="access",
        received_on=today(kept),
        asked_for="A copy of my notes.",
        by=owner,
    )
    assert asked.due_on == today(kept) + timedelta(days=30) and asked.deadline == asked.due_on
    with pytest.raises(RecordError, match="between 1 and 30"):
        extend_record_request(asked, days=45, reason="Records in storage.", by=owner)
    extend_record_request(asked, days=20, reason="Records in storage.", by=owner)
    assert asked.deadline == today(kept) + timedelta(days=50)
    notice = OutboundMessage.objects.get(to=kept.client.email)
    assert "Records in storage." in notice.body and "ipc.on.ca" in notice.body
    with pytest.raises(RecordError, match="only once"):
        extend_record_request(asked, days=5, reason="Again.", by=owner)


def test_a_correction_is_an_amendment_and_a_refusal_says_why(kept: Chart) -> None:  # noqa: F811
    owner = kept.week.cast.owner
    asked = log_record_request(
        kept.client,
        kind="correction",
        received_on=today(kept),
        asked_for="My pain was 7/10, not 6/10.",
        by=owner,
    )
    with pytest.raises(RecordError, match="says why"):
        answer_record_request(asked, outcome="refused", by=owner)
    note = TreatmentNote.objects.get(client=kept.client)
    answer_record_request(
        asked,
        outcome="granted",
        correct_note=note,
        correction="Pain was 7/10.",
        by=owner,
    )
    amendment = NoteAmendment.objects.filter(note=note).latest("created_at")
    assert amendment.text == "Pain was 7/10." and "correction request" in amendment.reason
    note.refresh_from_db()
    assert note.subjective == "Neck pain 6/10 after desk work."  # the original stays
    with pytest.raises(RecordError, match="already answered"):
        answer_record_request(asked, outcome="granted", by=owner)


def test_overdue_requests_show_on_the_owners_home(kept: Chart, signed_in: Any) -> None:  # noqa: F811
    owner = kept.week.cast.owner
    long_ago = today(kept) - timedelta(days=40)
    late = log_record_request(
        kept.client, kind="access", received_on=long_ago, asked_for="A copy.", by=owner
    )
    assert overdue_requests(kept.week.practice) == [late]
    home = signed_in(owner).get("/staff/").content.decode()
    assert "overdue request" in home
    with pytest.raises(RecordError, match="had to be given before"):
        extend_record_request(late, days=10, reason="Too late.", by=owner)


def test_the_owner_logs_and_answers_a_request_on_the_page(
    kept: Chart,  # noqa: F811
    signed_in: Any,
) -> None:
    owner = signed_in(kept.week.cast.owner)
    assert owner.get(PAGE).status_code == 200
    future = owner.post(
        PAGE,
        {
            "client": kept.client.pk,
            "kind": "access",
            "received_on": (today(kept) + timedelta(days=3)).isoformat(),
            "asked_for": "A copy.",
        },
    )
    assert future.status_code == 422 and "in the future" in future.content.decode()
    logged = owner.post(
        PAGE,
        {
            "client": kept.client.pk,
            "kind": "access",
            "received_on": today(kept).isoformat(),
            "asked_for": "A copy.",
        },
    )
    asked = RecordRequest.objects.latest("pk")  # the fixture logged one already
    assert logged["Location"] == f"{PAGE}{asked.pk}/"
    page = owner.get(f"{PAGE}{asked.pk}/").content.decode()
    assert "A copy." in page
    owner.post(
        f"{PAGE}{asked.pk}/", {"do": "answer", "outcome": "granted", "note": "PDF given in person."}
    )
    asked.refresh_from_db()
    assert asked.outcome == "granted" and asked.outcome_note == "PDF given in person."
    for who in (kept.maya, kept.week.cast.front_desk, kept.week.cast.bookkeeper):
        assert signed_in(who).get(PAGE).status_code == 403
