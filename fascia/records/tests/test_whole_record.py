"""The client's right of access: from their account they download their whole record — as a
readable document and as data — with every health-history version, consents, signed notes
and their amendments, scores, home-care plans and receipts; drafts are left out; each copy is
on the audit log. Nobody downloads someone else's; the practice makes the same copy from the
chart (for a request made to it), subject to need to know."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from fascia.audit.models import AuditAction, AuditEntry
from fascia.billing.actions import invoice_appointment, record_payment
from fascia.billing.receipts import issue_receipt
from fascia.billing.totals import totals
from fascia.records.assessment import record_assessment, record_outcome, record_range_of_motion
from fascia.records.consents import record_consent
from fascia.records.history import review_history, submit_health_history
from fascia.records.models import SelfCareExercise
from fascia.records.notes import amend_note, sign_note
from fascia.records.plans import create_treatment_plan
from fascia.records.progress import progress_report_pdf
from fascia.records.requests import log_record_request
from fascia.records.selfcare import give_self_care_plan
from fascia.records.selfcare_library import ensure_starter_library
from fascia.records.tests.conftest import Chart, consent_to
from fascia.records.tests.test_record_actions import ready_note
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, at


@pytest.fixture
def kept(chart: Chart) -> Chart:
    """A visit with all its records: two history versions, consent, a signed and amended
    note, an outcome score and a paid, receipted invoice."""
    after = at(MONDAY, 12)
    set_attendance(chart.appointment, "completed", now=after)
    chart.appointment.refresh_from_db()
    submit_health_history(chart.client, answers={"reason": "Stiff neck"}, source="staff")
    submit_health_history(
        chart.client,
        answers={"reason": "Stiff neck and headaches"},
        source="staff",
    )
    review_history(chart.appointment, by=chart.maya, now=after)
    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    note = ready_note(chart, subjective="Neck pain 6/10 after desk work.")
    note = sign_note(note, by=chart.maya, now=after)
    amend_note(note, text="Pain was 7/10, not 6/10.", reason="Misheard", by=chart.maya)
    record_outcome(chart.client, measure="nprs", answers=[6], by=chart.maya)
    create_treatment_plan(
        chart.client,
        therapist=chart.week.maya,
        goals="Less neck pain at work.",
        areas=["neck_back"],
        techniques=["swedish"],
        pressure="moderate",
        frequency="weekly",
        visits_planned=4,
        after_effects="Tenderness for a day.",
        by=chart.maya,
    )
    record_assessment(chart.appointment, posture="Forward head", by=chart.maya)
    record_range_of_motion(
        chart.client,
        joint="shoulder",
        movement="flexion",
        side="left",
        degrees=Decimal(150),
        by=chart.maya,
    )
    ensure_starter_library(chart.week.practice)
    give_self_care_plan(
        chart.appointment,
        exercises=[(SelfCareExercise.objects.get(name="Heat for tight muscles"), "")],
        next_visits="in two weeks",
        by=chart.maya,
    )
    progress_report_pdf(
        chart.client,
        recipient="Dr. Lee, family physician",
        purpose="Progress since the referral",
        client_consented=True,
        consent_method="verbal",
        by=chart.maya,
    )
    log_record_request(
        chart.client,
        kind="access",
        received_on=timezone.localdate(timezone=chart.week.practice.zone),
        asked_for="A copy of my notes.",
        by=chart.week.cast.owner,
    )
    invoice = invoice_appointment(chart.appointment, by=chart.week.cast.front_desk, now=after)
    record_payment(invoice, amount_paid=totals(invoice).total, method="debit", now=after)
    issue_receipt(invoice, now=after)
    return chart


def test_the_client_downloads_their_whole_record_as_data(kept: Chart, signed_in: Any) -> None:
    me = signed_in(kept.week.cast.client_user)
    response = me.get(f"/account/record/{kept.client.pk}.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    copy = json.loads(response.content)
    assert copy["format"] == "fascia-record/1"
    assert copy["client"]["legal_first_name"] == "Casey"
    assert [row["version"] for row in copy["health_history"]] == [1, 2]
    assert copy["health_history"][1]["answers"]["reason"] == "Stiff neck and headaches"
    assert copy["consents"][0]["scope"] == "treatment" and copy["consents"][0]["given"]
    (note,) = copy["treatment_notes"]
    assert note["subjective"] == "Neck pain 6/10 after desk work."  # the original, as signed
    assert copy["amendments"][0]["text"] == "Pain was 7/10, not 6/10."
    assert copy["outcome_scores"][0]["measure"] == "nprs"
    assert len(copy["receipts"]) == 1 and copy["visits"][0]["status"] == "completed"
    assert copy["record_requests"][0]["asked_for"] == "A copy of my notes."
    exported = AuditEntry.objects.get(action=AuditAction.EXPORT, detail="whole record (json)")
    assert (exported.actor, exported.client) == (kept.week.cast.client_user, kept.client)


def test_a_draft_note_is_not_part_of_the_copy(chart: Chart, signed_in: Any) -> None:
    ready_note(chart, subjective="Half-written")
    copy = json.loads(
        signed_in(chart.week.cast.client_user)
        .get(f"/account/record/{chart.client.pk}.json")
        .content
    )
    assert copy["treatment_notes"] == []


def test_the_client_downloads_a_readable_document_in_their_language(
    kept: Chart, signed_in: Any
) -> None:
    me = signed_in(kept.week.cast.client_user)
    english = me.get(f"/account/record/{kept.client.pk}.pdf")
    assert english["Content-Type"] == "application/pdf"
    text = pdf_text(english.content)
    assert "Your health record" in text
    assert "Health history, every version" in text and "Stiff neck and headaches" in text
    assert "Neck pain 6/10 after desk work." in text and "Pain was 7/10, not 6/10." in text
    kept.client.preferred_language = "fr"
    kept.client.save()
    french = pdf_text(me.get(f"/account/record/{kept.client.pk}.pdf").content)
    assert "Votre dossier de santé" in french and "Antécédents médicaux" in french


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_nobody_downloads_someone_elses_record(kept: Chart, signed_in: Any) -> None:
    other = kept.week.other_client
    me = signed_in(kept.week.cast.client_user)
    assert me.get(f"/account/record/{other.pk}.json").status_code == 404
    assert me.get(f"/account/record/{kept.client.pk}.xml").status_code == 404


def test_the_practice_makes_the_same_copy_from_the_chart_under_need_to_know(
    kept: Chart, signed_in: Any
) -> None:
    url = f"/staff/clients/{kept.client.pk}/record.json"
    copy = json.loads(signed_in(kept.maya).get(url).content)
    assert len(copy["treatment_notes"]) == 1
    assert signed_in(kept.week.dan.user).get(url).status_code == 403
    assert signed_in(kept.week.cast.front_desk).get(url).status_code == 403
    assert signed_in(kept.week.cast.owner).get(url).status_code == 200


def test_the_copy_reads_each_kind_of_record_once(kept: Chart, signed_in: Any) -> None:
    """However many visits and notes, the copy costs a query per kind of record (and the
    request's own few), not one per row."""
    me = signed_in(kept.week.cast.client_user)
    url = f"/account/record/{kept.client.pk}.json"
    me.get(url)  # the session met: from now on read with who is signed in
    with CaptureQueriesContext(connection) as one_visit:
        assert me.get(url).status_code == 200
    for week in range(1, 6):
        book_appointment(
            kept.week.practice,
            kept.week.request(at(MONDAY + timedelta(weeks=week), 10)),
            now=at(MONDAY, 7),
        )
    with CaptureQueriesContext(connection) as six_visits:
        assert me.get(url).status_code == 200
    assert len(six_visits) == len(one_visit)
