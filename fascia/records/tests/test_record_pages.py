"""Who sees which record screen, and the signed note on screen."""

from __future__ import annotations

from typing import Any

from fascia.records.actions import record_consent, sign_note
from fascia.records.tests.conftest import Chart, consent_to
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
    sign_note(ready_note(chart), by=chart.maya, now=NOW)
    web = signed_in(chart.maya)
    url = f"/staff/appointments/{chart.appointment.pk}/note/"
    page = web.get(url).content.decode()
    assert "Signed" in page and "Sign note" not in page
    # Posting draft fields to a signed note changes nothing.
    web.post(url, {"action": "save", "subjective": "rewritten"})
    web.post(url, {"action": "amend", "text": "Pain 7/10", "reason": "Misheard"})
    page = web.get(url).content.decode()
    assert "Neck pain 6/10 after desk work." in page and "rewritten" not in page
    assert "Pain 7/10" in page and "Misheard" in page
