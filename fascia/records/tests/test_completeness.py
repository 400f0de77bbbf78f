"""Each completed visit's record: history current, consent on file, note signed; the owner's
list of what is missing and the therapist's overdue notes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fascia.records.completeness import missing_records, visit_records
from fascia.records.consents import record_consent
from fascia.records.history import review_history, submit_health_history
from fascia.records.notes import sign_note
from fascia.records.queries import unsigned_overdue
from fascia.records.tests.conftest import Chart, consent_to
from fascia.records.tests.test_record_actions import ready_note
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.tests.conftest import MONDAY, at


def test_a_visit_is_complete_with_history_consent_and_signed_note(
    chart: Chart, signed_in: Any
) -> None:
    after = at(MONDAY, 12)
    set_attendance(chart.appointment, "completed", now=after)
    chart.appointment.refresh_from_db()
    (status,) = visit_records([chart.appointment])
    assert status.missing == [
        "up-to-date health history",
        "consent to treatment",
        "signed treatment note",
    ]
    assert [r.appointment for r in missing_records(chart.week.practice, now=after)] == [
        chart.appointment
    ]
    note = ready_note(chart)
    assert unsigned_overdue(chart.week.maya, now=after) == []
    assert unsigned_overdue(chart.week.maya, now=after + timedelta(hours=25)) == [note]
    submit_health_history(chart.client, answers={"reason": "x"}, source="staff", now=after)
    review_history(chart.appointment, by=chart.maya, now=after)
    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    sign_note(note, by=chart.maya, now=after)
    (status,) = visit_records([chart.appointment])
    assert status.complete
    assert missing_records(chart.week.practice, now=after) == []
    owner = signed_in(chart.week.cast.owner)
    assert "Every completed visit" in owner.get("/staff/records/missing/").content.decode()
    assert signed_in(chart.maya).get("/staff/records/missing/").status_code == 403
