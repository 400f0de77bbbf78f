"""Need to know: a therapist sees the clinical record only of clients in their care (a visit
with them, or a client they brought); another therapist meets "not in your care" on every
page, document and API read of it, and may open it only in an emergency — a recorded reason,
for four hours, on the audit log and flagged on the owner's audit page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fascia.accounts.tokens import issue_token
from fascia.audit.models import AuditAction, AuditEntry
from fascia.audit.tests.test_health_views_audited import looks
from fascia.clients.actions import update_client
from fascia.records.care import EMERGENCY_HOURS, in_care, open_in_emergency
from fascia.records.errors import RecordError
from fascia.records.models import TreatmentNote
from fascia.records.tests.conftest import Chart

# The clinical pages and reads of the walk in the audit test, opened by the treating therapist
# there; a run sheet is the therapist's own day (addresses, not the clinical record).
CLINICAL = {
    "records:chart",
    "records:consent",
    "records:note",
    "records:self-care-pdf",
    "records:whole-record",
    "records:health-history",
    "/notes/{note_id}",
    "/clients/{client_id}/outcomes",
    "/clients/{client_id}/alerts",
}


def _ask(look: Any, user: Any, signed_in: Any, client: Any) -> Any:
    if look.api:
        return client.get(look.url, HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
    return signed_in(user).get(look.url)


@pytest.mark.django_db
def test_a_therapist_without_the_client_in_their_care_is_refused_everywhere(
    chart: Chart, signed_in: Any, client: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    walked, _extra = looks(chart)
    clinical = [look for look in walked if look.name in CLINICAL]
    assert {look.name for look in clinical} == CLINICAL
    stranger = chart.week.dan.user  # a therapist of the practice, no visit with this client
    owner = chart.week.cast.owner
    for look in clinical:
        refused = _ask(look, stranger, signed_in, client)
        assert refused.status_code == 403, look.name
        if look.api:
            assert "not in your care" in refused.json()["detail"], look.name
        else:
            assert "Open in an emergency" in refused.content.decode(), look.name
        assert _ask(look, owner, signed_in, client).status_code == 200, look.name
        assert _ask(look, chart.maya, signed_in, client).status_code == 200, look.name
    assert not AuditEntry.objects.filter(client=chart.client, actor=stranger).exists()


def test_writes_to_the_record_are_refused_too(chart: Chart, signed_in: Any, client: Any) -> None:
    stranger = chart.week.dan.user
    token = f"Bearer {issue_token(stranger)}"
    assert not TreatmentNote.objects.filter(appointment=chart.appointment).exists()
    answer = client.post(
        f"/api/v1/appointments/{chart.appointment.pk}/note",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )
    assert answer.status_code == 403
    page = signed_in(stranger).post(f"/staff/appointments/{chart.appointment.pk}/note/start/")
    assert page.status_code == 403
    assert not TreatmentNote.objects.filter(appointment=chart.appointment).exists()


def test_a_client_the_therapist_brought_is_in_their_care(chart: Chart) -> None:
    dan = chart.week.dan
    assert not in_care(dan.user, chart.client)
    update_client(chart.client, by=chart.week.cast.owner, brought_by=dan)
    chart.client.refresh_from_db()
    assert in_care(dan.user, chart.client)


def test_an_emergency_opening_needs_a_reason_lasts_four_hours_and_is_flagged_for_the_owner(
    chart: Chart, signed_in: Any
) -> None:
    cast, dan = chart.week.cast, chart.week.dan.user
    stranger = signed_in(dan)
    chart_url = f"/staff/clients/{chart.client.pk}/chart/"
    opening = f"/staff/clients/{chart.client.pk}/emergency-access/"

    short = stranger.post(opening, {"reason": "need it", "next": chart_url})
    assert short.status_code == 422
    assert "Say why you need this record now" in short.content.decode()
    assert stranger.get(chart_url).status_code == 403

    reason = "Client collapsed in the waiting room; checking medications and conditions."
    opened = stranger.post(opening, {"reason": reason, "next": chart_url})
    assert opened.status_code == 302 and opened["Location"] == chart_url
    assert stranger.get(chart_url).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.EMERGENCY)
    assert (entry.actor, entry.client, entry.detail) == (dan, chart.client, reason)

    later = timezone.now() + timedelta(hours=EMERGENCY_HOURS, minutes=1)
    assert not in_care(dan, chart.client, now=later)

    flagged = signed_in(cast.owner).get("/staff/audit/").content.decode()
    assert "Records opened in an emergency" in flagged and reason in flagged


def test_only_a_therapist_opens_a_record_in_an_emergency(chart: Chart) -> None:
    cast = chart.week.cast
    with pytest.raises(RecordError):
        open_in_emergency(chart.client, by=cast.front_desk, reason="Just curious about this one.")


def test_an_outside_address_is_not_followed_after_the_opening(chart: Chart, signed_in: Any) -> None:
    opened = signed_in(chart.week.dan.user).post(
        f"/staff/clients/{chart.client.pk}/emergency-access/",
        {"reason": "Covering for Maya today, client on the table.", "next": "https://evil.test/"},
    )
    assert opened["Location"] == f"/staff/clients/{chart.client.pk}/chart/"
