"""Histories are versioned, consents carry the regulator's elements, notes are signed only
with alerts acknowledged and consents on file, and signed notes never change by any path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from fascia.audit.models import AuditEntry
from fascia.records.assessment import record_assessment, record_outcome, record_range_of_motion
from fascia.records.consents import record_consent, withdraw_consent
from fascia.records.errors import NoteLocked, RecordError
from fascia.records.history import (
    issue_intake_link,
    review_history,
    submit_health_history,
    submit_through_link,
)
from fascia.records.models import HealthHistory, TreatmentNote
from fascia.records.notes import amend_note, copy_last_visit, edit_note, sign_note, start_note
from fascia.records.plans import create_treatment_plan
from fascia.records.queries import client_alerts
from fascia.records.tests.conftest import AFTER_VISIT, Chart, consent_to
from fascia.scheduling.tests.conftest import NOW


def history(chart: Chart, **answers: Any) -> HealthHistory:
    return submit_health_history(
        chart.client, answers=answers, source="staff", by=chart.maya, now=NOW
    )


def ready_note(chart: Chart, **changes: Any) -> TreatmentNote:
    note = start_note(chart.appointment, by=chart.maya, now=NOW)
    values = {
        "subjective": "Neck pain 6/10 after desk work.",
        "objective": "Hypertonic upper trapezius bilaterally.",
        "areas_treated": ["neck_back", "upper_back"],
        "techniques": ["swedish", "trigger_point"],
        "pressure": "moderate",
    }
    values.update(changes)
    return edit_note(note, values, by=chart.maya, now=NOW)


def test_histories_are_versioned_and_skips_keep_their_reason(chart: Chart) -> None:
    first = submit_health_history(
        chart.client,
        answers={"reason": "Neck pain", "conditions": ["headaches"]},
        skipped={"medications": "Prefer to tell the therapist in person"},
        source="online",
        now=NOW,
    )
    review = review_history(
        chart.appointment, changes={"medication_flags": ["anticoagulant"]}, by=chart.maya, now=NOW
    )
    assert (first.version, review.history.version, review.changed) == (1, 2, True)
    assert review.history.answers["reason"] == "Neck pain"  # carried over
    assert HealthHistory.objects.get(version=1).answers == {
        "reason": "Neck pain",
        "conditions": ["headaches"],
    }
    assert first.skipped == {"medications": "Prefer to tell the therapist in person"}
    assert [a.rule for a in client_alerts(chart.client)] == ["anticoagulants"]
    unchanged = review_history(chart.appointment, by=chart.maya, now=NOW)
    assert (unchanged.changed, unchanged.history.version) == (False, 2)
    with pytest.raises(RecordError) as refused:
        history(chart, hiv_status="negative")
    assert "Not a question on this form." in refused.value.reasons[0]


def test_an_intake_link_works_once(chart: Chart) -> None:
    token = issue_intake_link(chart.client, now=NOW)
    submit_through_link(token, answers={"reason": "Low back pain"}, now=NOW)
    with pytest.raises(RecordError, match="used or has expired"):
        submit_through_link(token, answers={"reason": "again"}, now=NOW)
    assert HealthHistory.objects.count() == 1


def test_consent_needs_every_element_and_a_signature_when_written(chart: Chart) -> None:
    with pytest.raises(RecordError) as refused:
        record_consent(
            chart.client,
            consent_to("treatment", risks=" ", withdrawal_explained=False, method="written"),
            by=chart.maya,
        )
    assert refused.value.reasons == [
        "Record its material risks and side effects.",
        "Tell the client consent can be withdrawn at any time, and record it.",
        "Written consent needs the client's signature (drawn, or their typed name) and "
        "printed name.",
    ]
    typed = record_consent(  # signed by typing their name: the same written record
        chart.client,
        consent_to("treatment", method="written", signed_name="Alex Morgan", signed_by_typing=True),
        by=chart.maya,
    )
    assert (typed.method, typed.signature, typed.signed_name) == (
        "written",
        "Alex Morgan",
        "Alex Morgan",
    )
    consent = record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    withdrawn = withdraw_consent(consent, note="Asked to stop: felt unwell.", by=chart.maya)
    assert withdrawn.in_force is False
    with pytest.raises(RecordError, match="not in force"):
        withdraw_consent(consent, note="again", by=chart.maya)


def test_signing_needs_alerts_acknowledged_and_consent_on_file(chart: Chart) -> None:
    history(chart, medication_flags=["anticoagulant"])
    note = ready_note(chart)
    with pytest.raises(RecordError) as refused:
        sign_note(note, by=chart.maya, now=AFTER_VISIT)
    assert refused.value.reasons == [
        "Acknowledge the alert: Blood thinners or a bleeding disorder: lighter pressure, no "
        "deep-tissue or cupping.",
        "No consent to treatment is on file for this visit or its plan.",
    ]
    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    edit_note(note, {"acknowledged_alerts": ["anticoagulants"]}, by=chart.maya)
    with pytest.raises(RecordError, match="Only the treating therapist"):
        sign_note(note, by=chart.week.cast.front_desk, now=AFTER_VISIT)
    signed = sign_note(note, by=chart.maya, now=AFTER_VISIT)
    assert signed.signed_at == AFTER_VISIT
    assert AuditEntry.objects.filter(detail="signed", record_id=str(note.pk)).exists()


def test_sensitive_areas_need_the_regulators_consents(chart: Chart) -> None:
    plan = create_treatment_plan(
        chart.client,
        therapist=chart.week.maya,
        goals="Reduce hip pain",
        areas=["gluteal_left", "chest_wall_left"],
        techniques=["myofascial_release"],
        pressure="moderate",
        frequency="weekly for 4 weeks",
        visits_planned=4,
        after_effects="Soreness for a day.",
    )
    record_consent(chart.client, consent_to("treatment", plan=plan), by=chart.maya)
    note = ready_note(chart, areas_treated=["gluteal_left", "chest_wall_left"], plan=plan)
    with pytest.raises(RecordError) as refused:
        sign_note(note, by=chart.maya, now=AFTER_VISIT)
    assert refused.value.reasons == [
        "Left gluteal region: written consent for the treatment plan is required.",
        "Left gluteal region: record the client's consent for this session.",
        "Left chest wall: written consent for this session is required before treating it.",
    ]
    signature = {"method": "written", "signature": "data:image/svg+xml;...", "signed_name": "Alex"}
    record_consent(
        chart.client,
        consent_to(
            "sensitive_area", appointment=chart.appointment, areas=("chest_wall_left",), **signature
        ),
        by=chart.maya,
    )
    record_consent(
        chart.client,
        consent_to("sensitive_area", plan=plan, areas=("gluteal_left",), **signature),
        by=chart.maya,
    )
    record_consent(
        chart.client,
        consent_to("sensitive_area", appointment=chart.appointment, areas=("gluteal_left",)),
        by=chart.maya,
    )
    assert sign_note(note, by=chart.maya, now=AFTER_VISIT).is_signed


def test_a_signed_note_never_changes_by_any_path(chart: Chart) -> None:
    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    note = sign_note(ready_note(chart), by=chart.maya, now=AFTER_VISIT)
    with pytest.raises(NoteLocked):
        edit_note(note, {"subjective": "rewritten"}, by=chart.maya)
    # Below the actions: the ORM and raw SQL are refused by the database itself.
    for attempt in (
        lambda: TreatmentNote.objects.filter(pk=note.pk).update(subjective="rewritten"),
        lambda: TreatmentNote.objects.filter(pk=note.pk).delete(),
        lambda: connection.cursor().execute(
            "UPDATE records_treatmentnote SET subjective = 'x' WHERE id = %s", [note.pk]
        ),
    ):
        with (
            pytest.raises(Exception, match="signed clinical records are final"),
            transaction.atomic(),
        ):
            attempt()
    note.refresh_from_db()
    assert note.subjective == "Neck pain 6/10 after desk work."
    amendment = amend_note(
        note, text="Pain was 7/10, not 6/10.", reason="Transcription error", by=chart.maya
    )
    assert list(note.amendments.all()) == [amendment]


def test_drafts_are_checked(chart: Chart) -> None:
    note = start_note(chart.appointment, by=chart.maya, now=NOW)
    with pytest.raises(RecordError) as refused:
        edit_note(
            note,
            {
                "areas_treated": ["tail"],
                "pressure": "crushing",
                "body_chart": [{"area": "neck_back", "kind": "pain", "view": "side"}],
            },
            by=chart.maya,
        )
    assert refused.value.reasons == [
        "Unknown body areas: tail.",
        "Pressure is light, moderate, firm or deep.",
        "Body chart mark 1: view is front or back.",
    ]
    assert start_note(chart.appointment, by=chart.maya) == note  # one note per visit


def test_outcomes_and_range_of_motion_are_recorded(chart: Chart) -> None:
    ndi = record_outcome(chart.client, measure="ndi", answers=[2] * 10, by=chart.maya)
    assert (str(ndi.value), ndi.band) == ("40.0", "moderate")
    with pytest.raises(RecordError, match="answers run from 0 to 5"):
        record_outcome(chart.client, measure="ndi", answers=[9] * 10, by=chart.maya)
    with pytest.raises(RecordError, match="outside physiological limits"):
        record_range_of_motion(
            chart.client, joint="shoulder", movement="flexion", side="left", degrees=Decimal(300)
        )


def test_database_refuses_to_rewrite_a_history_version(chart: Chart) -> None:
    first = history(chart, reason="Neck pain")
    with pytest.raises(DatabaseError, match="final"), transaction.atomic():
        HealthHistory.objects.filter(pk=first.pk).update(answers={})


def test_assessment_needs_consent_and_valid_tests(chart: Chart) -> None:
    with pytest.raises(RecordError, match="consent to assessment first"):
        record_assessment(chart.appointment, posture="Forward head", by=chart.maya)
    record_consent(
        chart.client, consent_to("assessment", appointment=chart.appointment), by=chart.maya
    )
    with pytest.raises(RecordError) as refused:
        record_assessment(
            chart.appointment,
            special_tests=[{"name": "Spurling's", "side": "up", "result": "maybe"}],
            by=chart.maya,
        )
    assert refused.value.reasons == [
        "Special test 1: side is left, right or bilateral.",
        "Special test 1: result is positive, negative or inconclusive.",
    ]
    saved = record_assessment(
        chart.appointment,
        posture="Forward head, rounded shoulders",
        special_tests=[{"name": "Spurling's", "side": "right", "result": "negative"}],
        by=chart.maya,
    )
    assert saved.special_tests == [{"name": "Spurling's", "side": "right", "result": "negative"}]


def test_copy_from_the_last_visit(chart: Chart) -> None:
    from fascia.scheduling.booking import book_appointment
    from fascia.scheduling.tests.conftest import MONDAY, at

    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    sign_note(ready_note(chart, self_care="Chin tucks"), by=chart.maya, now=AFTER_VISIT)
    later = book_appointment(
        chart.week.practice, chart.week.request(at(MONDAY, 15)), now=NOW
    ).appointment
    draft = start_note(later, by=chart.maya, now=NOW)
    copied = copy_last_visit(draft, by=chart.maya)
    assert (copied.areas_treated, copied.self_care, copied.subjective) == (
        ["neck_back", "upper_back"],
        "Chin tucks",
        "",
    )


def test_a_note_is_signed_only_once_its_visit_has_started(chart: Chart) -> None:
    """Before: a note was signed on Saturday for Monday's visit, the visit was then cancelled,
    and the chart showed a cancelled visit with a signed treatment note."""
    from fascia.scheduling.attendance import cancel_appointment, end_treatment_early, set_attendance
    from fascia.scheduling.errors import BookingError
    from fascia.scheduling.models import AppointmentStatus

    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    note = ready_note(chart)
    with pytest.raises(RecordError, match="has not started yet"):
        sign_note(note, by=chart.maya, now=NOW)
    sign_note(note, by=chart.maya, now=AFTER_VISIT)
    # A visit whose treatment is on record cannot become a cancellation or a no-show...
    with pytest.raises(BookingError, match="its treatment note is signed"):
        cancel_appointment(chart.appointment, as_staff=True, now=AFTER_VISIT)
    with pytest.raises(BookingError, match="ended early"):
        set_attendance(chart.appointment, AppointmentStatus.NO_SHOW, now=AFTER_VISIT)
    # ...the way a clinic records it: the treatment ended early, with the reason.
    ended = end_treatment_early(
        chart.appointment, reason="Felt light-headed", minutes_given=20, now=AFTER_VISIT
    )
    assert (ended.status, ended.ended_early_reason, ended.minutes_given) == (
        AppointmentStatus.COMPLETED,
        "Felt light-headed",
        20,
    )


def test_a_cancelled_or_missed_visit_has_no_note_to_sign(chart: Chart) -> None:
    from fascia.scheduling.attendance import cancel_appointment

    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    note = ready_note(chart)
    cancel_appointment(chart.appointment, as_staff=True, now=NOW)
    with pytest.raises(RecordError, match="cancelled visit has no treatment"):
        sign_note(note, by=chart.maya, now=AFTER_VISIT)
