"""The charting screens read as finished forms: the consent starts from the treatment plan's
own words with its areas ticked in a body-region picker; the health history asks follow-ups
only after the answer that opens them and groups conditions by body system; the special
test's result and the note's plan start empty rather than with a guess."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fascia.records.consents import consent_starting_text
from fascia.records.plans import create_treatment_plan
from fascia.records.tests.conftest import Chart


def plan_for(chart: Chart) -> Any:
    return create_treatment_plan(
        chart.client,
        therapist=chart.week.maya,
        goals="Turn the head to check blind spots without pain.",
        areas=["neck_back", "shoulder_left"],
        techniques=["swedish", "myofascial_release"],
        pressure="moderate",
        frequency="weekly for 4 weeks",
        visits_planned=4,
        after_effects="Tenderness for a day; drink water.",
        by=chart.maya,
    )


def test_the_consent_starts_from_the_plan(chart: Chart, signed_in: Any) -> None:
    plan = plan_for(chart)
    starting = consent_starting_text(plan, None)
    assert starting["nature"] == (
        "Swedish (relaxation), myofascial release at moderate pressure to the back of neck, "
        "left shoulder, weekly for 4 weeks."
    )
    assert starting["benefits"] == plan.goals
    assert starting["risks"] == plan.after_effects
    assert starting["areas"] == ["neck_back", "shoulder_left"]
    from_visit = consent_starting_text(None, chart.appointment)
    assert from_visit["nature"].endswith(", 60 minutes.") and "areas" not in from_visit

    page = signed_in(chart.maya).get(
        reverse("records:consent", args=[chart.client.pk]), {"plan": plan.pk}
    )
    text = page.content.decode()
    # Areas are checkboxes in groups, the plan's ticked; the decision is a labelled group.
    assert "<legend>Head and neck</legend>" in text and "<select multiple" not in text
    assert 'type="checkbox" name="areas" value="neck_back"' in text
    assert (
        'value="neck_back" id="id_areas_' in text
        and "checked" in text.split('value="neck_back"')[1][:80]
    )
    assert "<legend>The client&#x27;s decision</legend>" in text
    assert "Turn the head to check blind spots without pain." in text


def test_the_plan_and_special_tests_start_empty(chart: Chart, signed_in: Any) -> None:
    web = signed_in(chart.maya)
    web.post(reverse("records:note-start", args=[chart.appointment.pk]))
    note = web.get(reverse("records:note", args=[chart.appointment.pk])).content.decode()
    assert "---------" not in note
    assert "Not under a treatment plan" in note
    result = note.split('name="test_result_')[1]
    assert result.index("Choose…") < result.index("Positive")
    chart_page = web.get(reverse("records:chart", args=[chart.client.pk])).content.decode()
    assert "<legend>Hips and legs</legend>" in chart_page  # the new plan's area picker


def test_conditions_are_grouped_by_body_system(chart: Chart, signed_in: Any) -> None:
    page = (
        signed_in(chart.maya)
        .get(reverse("records:health-history", args=[chart.client.pk]))
        .content.decode()
    )
    for system in ("Heart and circulation", "Brain and nerves", "Bones, joints and muscles"):
        assert f"<legend>{system}</legend>" in page
    assert page.count("Prefer not to answer this section") == 7
    assert 'data-shown-if="conditions=cancer_current cancer_past"' in page


def test_the_note_page_reads_a_bounded_number_of_rows(
    chart: Chart, signed_in: Any, django_assert_max_num_queries: Any
) -> None:
    """The note page reads each part of the record once: the client's alerts (and the lockbox
    behind them) once for the page and its form, the practice not at all (the request has it)."""
    web = signed_in(chart.maya)
    web.post(reverse("records:note-start", args=[chart.appointment.pk]))
    web.get("/staff/")  # the practice itself is read once per server process, until it changes
    with django_assert_max_num_queries(27):
        page = web.get(reverse("records:note", args=[chart.appointment.pk]))
    assert page.status_code == 200
