"""Who sees which record screen, and the signed note on screen."""

from __future__ import annotations

from typing import Any

from fascia.records.consents import record_consent
from fascia.records.history import submit_health_history
from fascia.records.models import TreatmentNote
from fascia.records.notes import sign_note
from fascia.records.tests.conftest import AFTER_VISIT, Chart, consent_to
from fascia.records.tests.test_record_actions import ready_note
from fascia.scheduling.tests.conftest import NOW


def test_front_desk_takes_histories_but_does_not_read_notes(chart: Chart, signed_in: Any) -> None:
    cast = chart.week.cast
    desk, bookkeeper = signed_in(cast.front_desk), signed_in(cast.bookkeeper)
    history_url = f"/staff/clients/{chart.client.pk}/health-history/"
    assert desk.get(history_url).status_code == 200
    assert bookkeeper.get(history_url).status_code == 403
    assert desk.get(f"/staff/clients/{chart.client.pk}/chart/").status_code == 403
    assert desk.get(f"/staff/appointments/{chart.appointment.pk}/note/").status_code == 403
    assert signed_in(chart.maya).get(f"/staff/clients/{chart.client.pk}/chart/").status_code == 200


def test_a_signed_note_shows_read_only_with_its_amendments(chart: Chart, signed_in: Any) -> None:
    record_consent(
        chart.client, consent_to("treatment", appointment=chart.appointment), by=chart.maya
    )
    sign_note(ready_note(chart), by=chart.maya, now=AFTER_VISIT)
    web = signed_in(chart.maya)
    url = f"/staff/appointments/{chart.appointment.pk}/note/"
    page = web.get(url).content.decode()
    assert "Signed" in page and "Sign note" not in page
    # Posting draft fields to a signed note changes nothing.
    web.post(url + "save/", {"subjective": "rewritten"})
    web.post(url + "sign/", {"subjective": "rewritten"})
    web.post(url + "amendments/", {"text": "Pain 7/10", "reason": "Misheard"})
    page = web.get(url).content.decode()
    assert "Neck pain 6/10 after desk work." in page and "rewritten" not in page
    assert "Pain 7/10" in page and "Misheard" in page


def test_history_review_and_templates_on_the_note_page(chart: Chart, signed_in: Any) -> None:
    from fascia.records.models import HealthHistory, HistoryReview, NoteTemplate, TreatmentNote

    submit_health_history(chart.client, answers={"reason": "Neck"}, source="staff", now=NOW)
    NoteTemplate.objects.create(
        practice=chart.week.practice,
        name="Neck follow-up",
        subjective="Neck pain _/10 since last visit.",
        areas_treated=["neck_back"],
    )
    web = signed_in(chart.maya)
    url = f"/staff/appointments/{chart.appointment.pk}/note/"
    assert "Any changes since last visit?" in web.get(url).content.decode()
    web.post(f"/staff/appointments/{chart.appointment.pk}/history-review/")
    review = HistoryReview.objects.get(appointment=chart.appointment)
    assert review.changed is False
    assert "Reviewed at this visit: no changes." in web.get(url).content.decode()
    template = NoteTemplate.objects.get()
    web.post(f"{url}start/", {"template": template.pk})
    note = TreatmentNote.objects.get(appointment=chart.appointment)
    assert (note.subjective, note.areas_treated) == (
        "Neck pain _/10 since last visit.",
        ["neck_back"],
    )
    # "Yes, there are changes": the history form from the visit records a new version.
    form_url = (
        f"/staff/clients/{chart.client.pk}/health-history/?appointment={chart.appointment.pk}"
    )
    web.post(form_url, {"reason": "Neck", "pregnant": "yes"})
    assert HealthHistory.objects.filter(client=chart.client).count() == 2
    assert HistoryReview.objects.filter(appointment=chart.appointment, changed=True).exists()


def test_assessment_from_the_note_page(chart: Chart, signed_in: Any) -> None:
    from fascia.records.models import Assessment

    record_consent(
        chart.client, consent_to("assessment", appointment=chart.appointment), by=chart.maya
    )
    web = signed_in(chart.maya)
    page = web.post(
        f"/staff/appointments/{chart.appointment.pk}/assessment/",
        {
            "posture": "Forward head",
            "test_name_0": "Spurling's",
            "test_side_0": "right",
            "test_result_0": "negative",
        },
        follow=True,
    ).content.decode()
    assert "Assessment recorded." in page and "Spurling&#x27;s (right): negative" in page
    assert Assessment.objects.get().posture == "Forward head"


def test_opening_the_note_page_changes_nothing(chart: Chart, signed_in: Any) -> None:
    """A link (in an email, say) cannot start, copy into or fill a note: only POSTs do."""
    from django.test import Client as Browser

    from fascia.records.models import NoteTemplate, SelfCareExercise, TreatmentNote

    template = NoteTemplate.objects.create(
        practice=chart.week.practice, name="Neck", subjective="Neck pain"
    )
    web = signed_in(chart.maya)
    url = f"/staff/appointments/{chart.appointment.pk}/note/"
    for query in ("", "?copy=last", f"?template={template.pk}"):
        page = web.get(url + query)
        assert page.status_code == 200 and "Start note" in page.content.decode()
    assert not TreatmentNote.objects.exists()
    # The starter library came with the practice; opening notes does not bring back what the
    # owner renamed.
    exercise = SelfCareExercise.objects.filter(practice=chart.week.practice).first()
    assert exercise is not None
    exercise.name = "Chin tucks (our way)"
    exercise.save()
    count = SelfCareExercise.objects.count()
    web.get(url)
    assert SelfCareExercise.objects.count() == count
    # Writing needs the POST with its CSRF token.
    strict = Browser(enforce_csrf_checks=True)
    strict.force_login(chart.maya)
    assert strict.post(url + "start/").status_code == 403
    assert web.get(url + "start/").status_code == 405
    assert not TreatmentNote.objects.exists()
    web.post(url + "start/")
    assert TreatmentNote.objects.filter(appointment=chart.appointment).count() == 1


def test_malformed_ids_in_links_and_forms_get_a_400_saying_why(
    chart: Chart, signed_in: Any
) -> None:
    web = signed_in(chart.maya)
    c = chart.client.pk
    for url in (
        f"/staff/clients/{c}/consents/new/?appointment=abc",
        f"/staff/clients/{c}/consents/new/?plan=1e3",
        f"/staff/clients/{c}/consents/new/?appointment=%D9%A3",
        f"/staff/clients/{c}/outcomes/ndi/?appointment=99999999999",
    ):
        answer = web.get(url)
        assert answer.status_code == 400, url
        assert "is not a valid" in answer.content.decode(), url
    started = web.post(f"/staff/appointments/{chart.appointment.pk}/note/start/", {"template": "x"})
    assert started.status_code == 400
    assert not TreatmentNote.objects.exists()  # nothing half-done
    owner = signed_in(chart.week.cast.owner)
    for year in ("abc", "1800", "99999"):
        assert owner.get(f"/staff/reports/statements.zip?year={year}").status_code == 400


def test_the_chart_offers_a_new_plan_and_range_of_motion_and_saves_a_plan(
    chart: Chart, signed_in: Any
) -> None:
    web = signed_in(chart.maya)
    url = f"/staff/clients/{chart.client.pk}/chart/"
    page = web.get(url).content.decode()
    for shown in ('name="goals"', 'name="areas"', 'name="techniques"', "Expected after-effects"):
        assert shown in page
    assert '<option value="shoulder:flexion">Shoulder flexion</option>' in page
    # Drawn once, the same on the next opening and for another client's chart.
    assert web.get(url).content.decode().count('name="goals"') == 1
    saved = web.post(
        url,
        {
            "action": "plan",
            "goals": "Less neck pain",
            "areas": ["neck_back"],
            "techniques": ["swedish"],
            "pressure": "moderate",
            "frequency": "weekly for 4 weeks",
            "visits_planned": "4",
            "after_effects": "Soreness for a day",
        },
        follow=True,
    )
    assert "Less neck pain" in saved.content.decode()
