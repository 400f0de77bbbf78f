"""The client's account between visits: cancelling with the late fee shown before confirming,
adding an insurance policy the practice then sees, year-end statements, and what is owed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as WebClient

from fascia.audit.models import AuditAction, AuditEntry
from fascia.billing.actions import invoice_appointment, record_payment
from fascia.billing.models import InsurancePolicy
from fascia.public import portal_views
from fascia.scheduling.attendance import set_attendance
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.models import AppointmentStatus
from fascia.scheduling.tests.conftest import MONDAY, ClinicWeek, at

NOW = at(MONDAY, 7) - timedelta(days=7)


@pytest.fixture
def booked(week: ClinicWeek) -> Any:
    return book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment


def test_cancelling_shows_the_late_fee_before_confirming(
    week: ClinicWeek, booked: Any, signed_in: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = signed_in(week.cast.client_user)
    url = f"/account/appointments/{booked.pk}/cancel/"
    early = me.get(url).content.decode()
    assert "There is no fee" in early and "late-cancellation fee" not in early
    monkeypatch.setattr(portal_views, "_now", lambda: at(MONDAY, 8))
    late = me.get(url).content.decode()
    assert "less than 24 hours before your appointment" in late
    assert "late-cancellation fee of $60.00" in late  # 50% of $120.00
    assert "Cancel and pay the $60.00 fee" in late
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED  # looking changes nothing
    assert AuditEntry.objects.filter(client=week.client, detail="cancel").exists()


def test_a_client_cancels_their_own_visit_and_no_one_else_s(
    week: ClinicWeek, booked: Any, signed_in: Any
) -> None:
    other = signed_in(week.cast.front_desk)  # not the client: not found on the client's pages
    assert other.post(f"/account/appointments/{booked.pk}/cancel/").status_code == 404
    me = signed_in(week.cast.client_user)
    answer = me.post(f"/account/appointments/{booked.pk}/cancel/", follow=True)
    assert "Your appointment is cancelled." in answer.content.decode()
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED


def test_a_client_adds_an_insurance_policy_the_practice_sees(
    week: ClinicWeek, signed_in: Any
) -> None:
    me = signed_in(week.cast.client_user)
    url = f"/account/insurance/{week.client.pk}/new/"
    assert "Add an insurance policy" in me.get("/account/").content.decode()
    refused = me.post(
        url,
        {
            "insurer": "Sun Life",
            "member_id": "",
            "subscriber_name": "Casey",
            "relationship": "self",
            "annual_maximum": "-5",
            "percent_covered": "80",
        },
    )
    assert refused.status_code == 400
    assert not InsurancePolicy.objects.exists()
    saved = me.post(
        url,
        {
            "insurer": "Sun Life",
            "plan_number": "G-1001",
            "member_id": "M-42",
            "subscriber_name": "Casey Mapleclient",
            "relationship": "self",
            "year_starts": "2026-01-01",
            "annual_maximum": "500.00",
            "percent_covered": "80",
        },
    )
    assert saved.status_code == 302
    policy = InsurancePolicy.objects.get(client=week.client)
    assert (policy.insurer, policy.annual_maximum) == ("Sun Life", Decimal("500.00"))
    entry = AuditEntry.objects.filter(client=week.client, action=AuditAction.CREATE).latest("id")
    assert entry.actor == week.cast.client_user
    # The front desk sees it on the client's billing page.
    desk = signed_in(week.cast.front_desk)
    assert "Sun Life" in desk.get(f"/staff/clients/{week.client.pk}/billing/").content.decode()
    # Another client's record is not theirs to add to.
    assert me.get(f"/account/insurance/{week.other_client.pk}/new/").status_code == 404


def test_year_end_statement_and_balance_owing(
    week: ClinicWeek, booked: Any, signed_in: Any, client: WebClient
) -> None:
    set_attendance(booked, AppointmentStatus.ARRIVED, by=week.cast.front_desk, now=at(MONDAY, 10))
    set_attendance(booked, AppointmentStatus.COMPLETED, by=week.cast.front_desk, now=at(MONDAY, 11))
    invoice = invoice_appointment(booked, by=week.cast.front_desk)
    record_payment(invoice, amount_paid="100.00", method="debit", by=week.cast.front_desk)
    me = signed_in(week.cast.client_user)
    account = me.get("/account/").content.decode()
    # $120.00 (the practice charges no HST: it has no tax number), $100.00 paid.
    assert "You owe $20.00 to Maple Massage" in account
    assert f"/account/statements/{week.client.pk}/2031.pdf" in account
    statement = me.get(f"/account/statements/{week.client.pk}/2031.pdf")
    assert statement.status_code == 200 and statement.content.startswith(b"%PDF")
    assert statement["Content-Disposition"] == 'inline; filename="statement-2031.pdf"'
    assert AuditEntry.objects.filter(
        client=week.client, action=AuditAction.EXPORT, detail="year-end statement 2031"
    ).exists()
    # Only one's own.
    other = week.other_client
    assert me.get(f"/account/statements/{other.pk}/2031.pdf").status_code == 404
    assert me.get(f"/account/statements/{week.client.pk}/1999.pdf").status_code == 404


@pytest.fixture
def plan(week: ClinicWeek) -> Any:
    from fascia.records.plans import create_treatment_plan

    return create_treatment_plan(
        week.client,
        therapist=week.maya,
        goals="Turn the head without pain when driving.",
        areas=["neck_back"],
        techniques=["swedish"],
        pressure="moderate",
        frequency="weekly for four weeks",
        visits_planned=4,
        after_effects="Tenderness for a day.",
        by=week.cast.therapist_user,
        now=NOW,
    )


def test_a_client_reads_and_signs_their_plan_consent_online(
    week: ClinicWeek, plan: Any, booked: Any, signed_in: Any
) -> None:
    from fascia.records.models import Consent, ConsentMethod
    from fascia.records.queries import consent_on_file

    me = signed_in(week.cast.client_user)
    account = me.get("/account/").content.decode()
    assert "Read and sign the plan" in account and f"/account/plans/{plan.pk}/consent/" in account
    page = me.get(f"/account/plans/{plan.pk}/consent/").content.decode()
    assert "Turn the head without pain when driving." in page
    assert "Tenderness for a day." in page  # the risks, from the plan itself
    unsigned = me.post(f"/account/plans/{plan.pk}/consent/", {"decision": "give"})
    assert unsigned.status_code == 400
    assert not Consent.objects.exists()
    signed = me.post(
        f"/account/plans/{plan.pk}/consent/",
        {"decision": "give", "understood": "on", "signed_name": "Casey Mapleclient"},
    )
    assert signed.status_code == 302
    consent = Consent.objects.get(client=week.client)
    assert (consent.plan, consent.given, consent.method) == (plan, True, ConsentMethod.WRITTEN)
    assert consent.signed_name == "Casey Mapleclient" and consent.recorded_by == week.client.user
    # It covers the next visit with the plan's therapist: the note can be signed on it.
    assert consent.appointment == booked
    assert consent_on_file(booked, ("treatment",))
    assert "Read and sign the plan" not in me.get("/account/").content.decode()


def test_only_the_client_signs_their_plan(week: ClinicWeek, plan: Any, signed_in: Any) -> None:
    from fascia.records.consents import sign_plan_consent_online
    from fascia.records.errors import RecordError

    with pytest.raises(RecordError):
        sign_plan_consent_online(plan, signed_name="Maya", given=True, by=week.cast.therapist_user)
    other = signed_in(week.cast.front_desk)
    assert other.get(f"/account/plans/{plan.pk}/consent/").status_code == 404


def test_the_therapist_asks_for_a_questionnaire_the_client_answers_online(
    week: ClinicWeek, signed_in: Any, booked: Any
) -> None:
    from fascia.notifications.models import OutboundMessage
    from fascia.records.models import OutcomeScore, QuestionnaireRequest

    therapist = signed_in(week.maya.user)  # the client is in Maya's care (`booked`)
    therapist.post(f"/staff/clients/{week.client.pk}/questionnaires/ask/", {"measure": "ndi"})
    asked = QuestionnaireRequest.objects.get(client=week.client)
    email = OutboundMessage.objects.get(to=week.client.email)
    assert f"/account/questionnaires/{asked.pk}/" in email.body
    again = therapist.post(
        f"/staff/clients/{week.client.pk}/questionnaires/ask/", {"measure": "ndi"}, follow=True
    )
    assert "already waiting for the client" in again.content.decode()
    assert (
        signed_in(week.cast.front_desk)
        .post(f"/staff/clients/{week.client.pk}/questionnaires/ask/", {"measure": "ndi"})
        .status_code
        == 403
    )

    me = signed_in(week.cast.client_user)
    assert "Fill in the questionnaire" in me.get("/account/").content.decode()
    url = f"/account/questionnaires/{asked.pk}/"
    assert "Neck Disability Index" in me.get(url).content.decode()
    answers = {f"item_{n}": "2" for n in range(1, 11)}
    bad = me.post(url, {**answers, "item_1": "9"})
    assert bad.status_code == 400 and not OutcomeScore.objects.exists()
    assert me.post(url, answers).status_code == 302
    score = OutcomeScore.objects.get(client=week.client)
    # Ten answers of 2 of 5: 20 of 50 points, the published percentage.
    assert (score.measure, score.value, score.recorded_by) == ("ndi", 40, week.client.user)
    asked.refresh_from_db()
    assert asked.score == score and asked.answered_at
    assert me.post(url, answers).status_code == 302  # already answered: nothing more
    assert OutcomeScore.objects.count() == 1
    assert "Fill in the questionnaire" not in me.get("/account/").content.decode()


def test_the_account_asks_for_a_missing_or_old_health_history(
    week: ClinicWeek, signed_in: Any
) -> None:
    from django.utils import timezone

    from fascia.records.history import submit_health_history

    me = signed_in(week.cast.client_user)
    assert "Fill in my health history" in me.get("/account/").content.decode()
    submit_health_history(
        week.client,
        answers={"conditions": []},
        source="online",
        by=week.cast.client_user,
        now=timezone.now() - timedelta(days=400),
    )
    account = me.get("/account/").content.decode()
    assert "is over a year old" in account and "Check my health history" in account
    submit_health_history(
        week.client, answers={"conditions": []}, source="online", by=week.cast.client_user
    )
    account = me.get("/account/").content.decode()
    assert "Check my health history" not in account and "Fill in my health" not in account
