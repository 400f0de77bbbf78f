"""Self-care plans: given at a visit from the practice's library, sent by email, shown in the
client's account and printable as PDF."""

from __future__ import annotations

from typing import Any

import pytest

from fascia.notifications.models import OutboundMessage
from fascia.records.errors import RecordError
from fascia.records.models import SelfCareExercise, SelfCarePlan
from fascia.records.selfcare import give_self_care_plan, self_care_pdf
from fascia.records.selfcare_library import ensure_starter_library
from fascia.records.tests.conftest import Chart


def test_a_plan_is_given_sent_and_printable(
    chart: Chart, signed_in: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ensure_starter_library(chart.week.practice)
    ensure_starter_library(chart.week.practice)  # idempotent
    stretch = SelfCareExercise.objects.get(name="Upper trapezius stretch")
    heat = SelfCareExercise.objects.get(name="Heat for tight muscles")
    assert SelfCareExercise.objects.count() == 9
    with django_capture_on_commit_callbacks(execute=True):
        plan = give_self_care_plan(
            chart.appointment,
            exercises=[(stretch, "Right side first"), (heat, "")],
            next_visits="weekly for 3 more weeks",
            by=chart.maya,
        )
    assert plan.items[0]["dose"] == "2 sets, hold 30 s, twice a day"
    email = OutboundMessage.objects.get(subject="Your home care plan")
    assert "1. Upper trapezius stretch (Stretch): 2 sets, hold 30 s, twice a day" in email.body
    assert "Note: Right side first" in email.body
    assert "Next visits: weekly for 3 more weeks." in email.body
    # The library can change; the plan keeps what was given.
    SelfCareExercise.objects.filter(pk=stretch.pk).update(instructions="Changed")
    plan.refresh_from_db()
    assert plan.items[0]["instructions"].startswith("Sit tall.")
    pdf = self_care_pdf(plan)
    assert pdf.startswith(b"%PDF")
    mine = signed_in(chart.client.user)
    assert "Upper trapezius stretch" in mine.get("/account/").content.decode()
    response = mine.get(f"/account/self-care/{plan.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert (
        signed_in(
            chart.week.other_client.user
            if chart.week.other_client.user
            else chart.week.cast.bookkeeper
        )
        .get(f"/account/self-care/{plan.pk}.pdf")
        .status_code
        == 404
    )
    staff_pdf = signed_in(chart.maya).get(f"/staff/self-care/{plan.pk}.pdf")
    assert staff_pdf.status_code == 200


def test_a_plan_needs_content_and_a_next_visit(chart: Chart) -> None:
    with pytest.raises(RecordError, match="at least one exercise"):
        give_self_care_plan(chart.appointment, exercises=[], next_visits="in 2 weeks")
    ensure_starter_library(chart.week.practice)
    stretch = SelfCareExercise.objects.first()
    assert stretch is not None
    with pytest.raises(RecordError, match="Recommend when to come back"):
        give_self_care_plan(chart.appointment, exercises=[(stretch, "")], next_visits=" ")
    assert not SelfCarePlan.objects.exists()


def test_a_french_speaking_client_gets_their_plan_in_french(
    chart: Chart, django_capture_on_commit_callbacks: Any
) -> None:
    """The therapist gives the plan from English screens; the client reads French: the starter
    library's French, the dose and the email in French, kept so."""
    chart.client.preferred_language = "fr"
    chart.client.save()
    stretch = SelfCareExercise.objects.get(name="Upper trapezius stretch")
    with django_capture_on_commit_callbacks(execute=True):
        plan = give_self_care_plan(
            chart.appointment,
            exercises=[(stretch, "")],
            next_visits="toutes les semaines",
            by=chart.maya,
        )
    given = plan.items[0]
    assert given["name"] == "Étirement du trapèze supérieur"
    assert given["dose"] == "2 séries, tenir 30 s, deux fois par jour"
    assert given["instructions"].startswith("Assoyez-vous bien droit.")
    email = OutboundMessage.objects.get(to=chart.client.email)
    assert "Étirement du trapèze supérieur" in email.body
    assert "Upper trapezius" not in email.body
