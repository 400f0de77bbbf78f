"""The clinical record through the API, end to end, and who may touch it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.test import Client as WebClient
from django.utils import timezone

from fascia.api.tests.test_booking_api import bearer, booking, post
from fascia.records.models import TreatmentNote
from fascia.scheduling.tests.conftest import ClinicWeek

CONSENT = {
    "scope": "treatment",
    "nature": "Swedish massage of the neck and back, 60 minutes.",
    "benefits": "Less neck pain.",
    "risks": "Soreness for a day or two.",
    "alternatives": "Exercise, physiotherapy, no treatment.",
    "consequences": "Pain may persist.",
    "withdrawal_explained": True,
    "given": True,
    "method": "verbal",
}


def patch(web: WebClient, path: str, body: dict[str, Any]) -> Any:
    import json

    return web.patch(path, json.dumps(body), content_type="application/json")


def test_intake_to_signed_note_through_the_api(open_week: ClinicWeek, monkeypatch: Any) -> None:
    maya = bearer(open_week.maya.user)
    client_id = open_week.client.pk
    visit = post(maya, "/api/v1/appointments", booking(open_week, client=client_id)).json()

    history = post(
        maya,
        f"/api/v1/clients/{client_id}/health-history",
        {
            "answers": {"reason": "Neck pain", "medication_flags": ["anticoagulant"]},
            "skipped": {"medications": "Will bring the list"},
        },
    )
    assert history.status_code == 201, history.content
    assert [a["rule"] for a in history.json()["alerts"]] == ["anticoagulants"]
    assert maya.get(f"/api/v1/clients/{client_id}/alerts").json()[0]["kind"] == "modify"

    note = post(maya, f"/api/v1/appointments/{visit['id']}/note", {}).json()
    edited = patch(
        maya,
        f"/api/v1/notes/{note['id']}",
        {
            "subjective": "Neck pain 6/10.",
            "areas_treated": ["neck_back", "upper_back"],
            "techniques": ["swedish"],
            "pressure": "light",
            "body_chart": [{"area": "neck_back", "kind": "pain", "view": "back", "x": 50, "y": 20}],
        },
    )
    assert edited.status_code == 200, edited.content
    early = post(maya, f"/api/v1/notes/{note['id']}/sign", {})
    assert early.status_code == 422
    assert early.json()["detail"].startswith("The visit has not started yet")
    # The treatment is given: it is now an hour after the visit began.
    began = datetime.fromisoformat(visit["start"])
    monkeypatch.setattr(timezone, "now", lambda: began + timedelta(hours=1))
    refused = post(maya, f"/api/v1/notes/{note['id']}/sign", {})
    assert refused.status_code == 422
    assert refused.json()["reasons"] == [
        "Acknowledge the alert: Blood thinners or a bleeding disorder: lighter pressure, no "
        "deep-tissue or cupping.",
        "No consent to treatment is on file for this visit or its plan.",
    ]
    consent = post(
        maya, f"/api/v1/clients/{client_id}/consents", {**CONSENT, "appointment": visit["id"]}
    )
    assert consent.status_code == 201, consent.content
    patch(maya, f"/api/v1/notes/{note['id']}", {"acknowledged_alerts": ["anticoagulants"]})
    signed = post(maya, f"/api/v1/notes/{note['id']}/sign", {})
    assert signed.status_code == 200 and signed.json()["signed_at"]

    locked = patch(maya, f"/api/v1/notes/{note['id']}", {"subjective": "rewritten"})
    assert locked.status_code == 409
    assert locked.json()["detail"] == "This note is signed; add an amendment instead."
    amendment = post(
        maya,
        f"/api/v1/notes/{note['id']}/amendments",
        {"text": "Pain was 7/10.", "reason": "Misheard"},
    )
    assert amendment.status_code == 201
    again = maya.get(f"/api/v1/notes/{note['id']}").json()
    assert again["subjective"] == "Neck pain 6/10."
    assert again["amendments"][0]["reason"] == "Misheard"

    score = post(maya, f"/api/v1/clients/{client_id}/outcomes", {"measure": "nprs", "answers": [6]})
    assert score.status_code == 201 and score.json()["value"] == "6"
    bad = post(maya, f"/api/v1/clients/{client_id}/outcomes", {"measure": "nprs", "answers": [12]})
    assert bad.status_code == 422


def test_who_may_touch_the_clinical_record(open_week: ClinicWeek, birch: Any) -> None:
    maya = bearer(open_week.maya.user)
    visit = post(
        maya, "/api/v1/appointments", booking(open_week, client=open_week.client.pk)
    ).json()
    note = post(maya, f"/api/v1/appointments/{visit['id']}/note", {}).json()
    desk = bearer(open_week.cast.front_desk)
    assert desk.get(f"/api/v1/notes/{note['id']}").status_code == 403
    assert desk.get(f"/api/v1/clients/{open_week.client.pk}/alerts").status_code == 200
    # Outcome scores are clinical results: the page and the API refuse the front desk alike.
    assert desk.get(f"/api/v1/clients/{open_week.client.pk}/outcomes").status_code == 403
    assert maya.get(f"/api/v1/clients/{open_week.client.pk}/outcomes").status_code == 200
    bookkeeper = bearer(open_week.cast.bookkeeper)
    assert bookkeeper.get(f"/api/v1/clients/{open_week.client.pk}/alerts").status_code == 403
    other_practice = bearer(birch.therapist_user)
    assert other_practice.get(f"/api/v1/notes/{note['id']}").status_code == 404
    me = bearer(open_week.client.user)
    own = post(
        me, f"/api/v1/clients/{open_week.client.pk}/health-history", {"answers": {"reason": "x"}}
    )
    assert own.status_code == 201 and own.json()["alerts"] == []
    assert me.get(f"/api/v1/clients/{open_week.client.pk}/outcomes").status_code == 200
    someone_else = post(
        me, f"/api/v1/clients/{open_week.other_client.pk}/health-history", {"answers": {}}
    )
    assert someone_else.status_code == 403
    assert TreatmentNote.objects.count() == 1
