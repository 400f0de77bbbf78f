"""The client's lockbox: a client withholds their whole record, their health history, one of
its sections or one treatment note from practitioners they name (or from everyone but those
they name). Every page, API read and copy honours it and says "locked by the client" instead
of hiding it silently; alerts from locked answers are not shown but the lock is; a therapist
still sees the note they wrote; the owner or a therapist may open it only under a lawful
exception with a reason, for four hours, on the audit log."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fascia.accounts.tokens import issue_token
from fascia.audit.models import AuditAction, AuditEntry
from fascia.audit.tests.test_health_views_audited import looks
from fascia.privacy.lockbox import OVERRIDE_HOURS, lock_record, locked_for, override_lock
from fascia.privacy.models import LockboxDirective
from fascia.records.consents import record_consent
from fascia.records.errors import RecordError
from fascia.records.history import submit_health_history
from fascia.records.notes import sign_note, start_note
from fascia.records.tests.conftest import AFTER_VISIT, Chart, consent_to
from fascia.records.tests.test_need_to_know import CLINICAL
from fascia.records.tests.test_record_actions import ready_note
from fascia.records.whole_record import export_whole_record
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, at


def _ask(look: Any, user: Any, signed_in: Any, client: Any) -> Any:
    if look.api:
        return client.get(look.url, HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
    return signed_in(user).get(look.url)


@pytest.mark.django_db
def test_a_record_locked_from_its_therapist_is_closed_everywhere_until_the_client_unlocks_it(
    chart: Chart, signed_in: Any, client: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    walked, _extra = looks(chart)
    clinical = [look for look in walked if look.name in CLINICAL]
    portal = signed_in(chart.week.cast.client_user)
    page = f"/account/record/{chart.client.pk}/lockbox/"
    answer = portal.post(
        page, {"part": "whole", "withheld_from": "named", "practitioners": [chart.week.maya.pk]}
    )
    assert answer.status_code == 302
    directive = LockboxDirective.objects.get(client=chart.client)
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, record_type="privacy.lockboxdirective", client=chart.client
    ).exists()

    maya, owner = chart.maya, chart.week.cast.owner
    for look in clinical:
        refused = _ask(look, maya, signed_in, client)
        assert refused.status_code == 403, look.name
        if look.api:
            assert "locked this part of their record from you" in refused.json()["detail"]
        else:
            shown = refused.content.decode()
            assert "Locked by" in shown and "lawful exception" in shown, look.name
        assert _ask(look, owner, signed_in, client).status_code == 200, look.name
    # The front desk never sees clinical content; the lock does not change what it does see.
    desk = signed_in(chart.week.cast.front_desk)
    assert desk.get(f"/staff/clients/{chart.client.pk}/").status_code == 200

    assert portal.post(page, {"lift": directive.pk}).status_code == 302
    for look in clinical:
        assert _ask(look, maya, signed_in, client).status_code == 200, look.name


@pytest.fixture
def noted_by_maya_seen_by_dan(chart: Chart) -> Any:
    """A signed note of Maya's, and a later visit of the same client with Dan (in his care)."""
    set_attendance(chart.appointment, "completed", now=AFTER_VISIT)
    chart.appointment.refresh_from_db()
    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    note = sign_note(
        ready_note(chart, subjective="Grief after a loss; neck pain 6/10."),
        by=chart.maya,
        now=AFTER_VISIT,
    )
    with_dan = book_appointment(
        chart.week.practice,
        chart.week.request(at(MONDAY + timedelta(days=1), 14), therapist=chart.week.dan),
        now=NOW,
    ).appointment
    return note, with_dan


@pytest.mark.django_db
def test_a_locked_note_is_marked_locked_to_others_and_stays_open_to_its_author(
    chart: Chart, noted_by_maya_seen_by_dan: Any, signed_in: Any, client: Any
) -> None:
    note, with_dan = noted_by_maya_seen_by_dan
    lock_record(
        chart.client,
        part="note",
        note=note,
        withheld_from="others",
        by=chart.week.cast.client_user,
    )
    dan = chart.week.dan.user
    as_dan = signed_in(dan)
    page = as_dan.get(f"/staff/clients/{chart.client.pk}/chart/").content.decode()
    assert "note locked by the client" in page and "Locked by the client" in page
    assert as_dan.get(f"/staff/appointments/{chart.appointment.pk}/note/").status_code == 403
    api = client.get(f"/api/v1/notes/{note.pk}", HTTP_AUTHORIZATION=f"Bearer {issue_token(dan)}")
    assert api.status_code == 403 and "locked" in api.json()["detail"]
    copy = json.loads(export_whole_record(chart.client, as_format="json", by=dan))
    assert copy["treatment_notes"] == [
        {"signed_at": copy["treatment_notes"][0]["signed_at"], "locked_by_client": True}
    ]
    assert "Grief" not in json.dumps(copy)
    # Starting Dan's note from "the last visit" does not copy the locked one.
    dans_note = start_note(with_dan, by=dan, copy_last=True)
    assert dans_note.techniques == [] and dans_note.areas_treated == []

    # Maya wrote it: she still reads it; the client always reads their whole record.
    assert (
        signed_in(chart.maya).get(f"/staff/appointments/{chart.appointment.pk}/note/").status_code
        == 200
    )
    own = json.loads(
        export_whole_record(chart.client, as_format="json", by=chart.week.cast.client_user)
    )
    assert "Grief" in own["treatment_notes"][0]["subjective"]


@pytest.mark.django_db
def test_a_locked_history_section_hides_its_answers_and_alerts_but_says_it_is_locked(
    chart: Chart, signed_in: Any, client: Any
) -> None:
    submit_health_history(
        chart.client,
        answers={"reason": "Stiff neck", "medication_flags": ["anticoagulant"]},
        source="staff",
    )
    owner = chart.week.cast.owner
    alert = "Blood thinners or a bleeding disorder"
    assert (
        alert in signed_in(owner).get(f"/staff/clients/{chart.client.pk}/chart/").content.decode()
    )
    lock_record(
        chart.client,
        part="section",
        history_section="medications_and_allergies",
        withheld_from="others",
        practitioners=[chart.week.maya],
        by=chart.week.cast.front_desk,  # the client told the front desk in writing
    )
    page = signed_in(owner).get(f"/staff/clients/{chart.client.pk}/chart/").content.decode()
    assert alert not in page
    assert "Locked by the client" in page and "Medications and allergies" in page
    api = client.get(
        f"/api/v1/clients/{chart.client.pk}/alerts",
        HTTP_AUTHORIZATION=f"Bearer {issue_token(owner)}",
    )
    assert all("Blood thinners" not in row["message"] for row in api.json())
    copy = json.loads(export_whole_record(chart.client, as_format="json", by=owner))
    history = copy["health_history"][0]
    assert "medication_flags" not in history["answers"] and history["answers"]["reason"]
    assert history["locked_by_client"] == ["Medications and allergies"]
    # Filling in a new version would drop the locked answers: the page says it is locked.
    assert (
        signed_in(owner).get(f"/staff/clients/{chart.client.pk}/health-history/").status_code == 403
    )
    # Maya, whom the client kept, sees it all, and must acknowledge the alert to sign.
    maya_page = signed_in(chart.maya).get(f"/staff/clients/{chart.client.pk}/chart/")
    assert alert in maya_page.content.decode()
    assert not locked_for(chart.maya, chart.client).anything


@pytest.mark.django_db
def test_opening_a_locked_record_needs_a_lawful_exception_and_a_reason_and_ends(
    chart: Chart, signed_in: Any
) -> None:
    lock_record(
        chart.client,
        part="whole",
        withheld_from="named",
        practitioners=[chart.week.maya],
        by=chart.week.cast.client_user,
    )
    as_maya = signed_in(chart.maya)
    chart_page = f"/staff/clients/{chart.client.pk}/chart/"
    opening = f"/staff/clients/{chart.client.pk}/lockbox/open/"
    no_exception = as_maya.post(
        opening, {"reason": "The client collapsed in the room.", "next": chart_page}
    )
    assert no_exception.status_code == 422 and "lawful exception" in no_exception.content.decode()
    too_short = as_maya.post(opening, {"exception": "harm", "reason": "urgent", "next": chart_page})
    assert too_short.status_code == 422
    assert as_maya.get(chart_page).status_code == 403

    opened = as_maya.post(
        opening,
        {
            "exception": "harm",
            "reason": "The client collapsed in the room; checking conditions.",
            "next": chart_page,
        },
    )
    assert opened.status_code == 302 and opened["Location"] == chart_page
    assert as_maya.get(chart_page).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.LOCKBOX)
    assert entry.actor == chart.maya and entry.client == chart.client
    assert entry.detail.startswith("harm: The client collapsed")
    flagged = signed_in(chart.week.cast.owner).get("/staff/audit/").content.decode()
    assert "past the client’s lock" in flagged and "The client collapsed in the room" in flagged
    later = timezone.now() + timedelta(hours=OVERRIDE_HOURS, minutes=1)
    assert locked_for(chart.maya, chart.client, now=later).whole
    # Only the clinical roles open a lock; the client's instruction itself is checked.
    with pytest.raises(RecordError):
        override_lock(
            chart.client, by=chart.week.cast.front_desk, exception="harm", reason="x" * 20
        )
    with pytest.raises(RecordError) as refused:
        lock_record(
            chart.client, part="whole", withheld_from="named", by=chart.week.cast.client_user
        )
    assert "Name at least one practitioner" in refused.value.reasons[0]


@pytest.mark.django_db
def test_the_client_form_refuses_bad_input_and_another_clients_lockbox(
    chart: Chart, signed_in: Any
) -> None:
    portal = signed_in(chart.week.cast.client_user)
    page = f"/account/record/{chart.client.pk}/lockbox/"
    shown = portal.get(page)
    assert shown.status_code == 200 and "Nothing is locked" in shown.content.decode()
    missing = portal.post(page, {"part": "section", "withheld_from": "others"})
    assert missing.status_code == 422
    assert "Choose the section of the health history." in missing.content.decode()
    assert not LockboxDirective.objects.exists()
    someone_else = f"/account/record/{chart.week.other_client.pk}/lockbox/"
    assert portal.get(someone_else).status_code == 404
    assert (
        portal.post(someone_else, {"part": "whole", "withheld_from": "others"}).status_code == 404
    )
    assert not LockboxDirective.objects.exists()
