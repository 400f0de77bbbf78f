"""Hostile input never answers 5xx: every POST, PUT and PATCH operation the API publishes gets,
field by field, what an attacker would send — oversized, control and surrogate characters,
injection strings, impossible and far dates, huge and non-finite numbers, wrong types — and
broken JSON, as a staff member and anonymously. Any server error fails the test; a refusal is
a 4xx whose `detail` is the one sentence the schema promises."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as WebClient

from fascia.api.tests.test_booking_api import bearer, booking, post
from fascia.records.notes import start_note
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import SOON, ClinicWeek

HOSTILE: list[Any] = [
    "x" * 100_000,
    "\u0000",
    "\ud800",
    "a\udfffb",
    "\x07\x1b[2J",
    "'; DROP TABLE clients_client; --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31",
    "2026-02-30",
    10**30,
    -(10**30),
    1e308,
    -1,
    0,
    "NaN",
    "Infinity",
    True,
    None,
    [],
    {},
]
BROKEN_BODIES = ["{", "[]", "null", '"text"', "1", '{"a": [}', "\x00"]


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        schema = _resolve(options[0], document) if options else {}
    return schema


def _plausible(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    """A value of the schema's type, so that each hostile field is the only thing wrong."""
    schema = _resolve(schema, document)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: _plausible(part, document) for name, part in schema.get("properties", {}).items()
        }
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if schema.get("format") == "date-time":
        return f"{SOON.isoformat()}T10:00:00-05:00"
    if schema.get("format") == "date":
        return SOON.isoformat()
    return "x"


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch")
    ]


def _body_schema(operation: dict[str, Any], document: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return _resolve(content["schema"], document) if content else None


def _send(web: WebClient, method: str, path: str, body: str) -> Any:
    return getattr(web, method)(path, body, content_type="application/json")


@pytest.fixture
def records(open_week: ClinicWeek) -> dict[str, str]:
    """Real ids for the operations' path parameters, so requests reach the handlers."""
    desk = bearer(open_week.cast.front_desk)
    visit = post(desk, "/api/v1/appointments", booking(open_week, client=open_week.client.pk))
    appointment = Appointment.objects.get(pk=visit.json()["id"])
    note = start_note(appointment, by=open_week.maya.user)
    return {
        "appointment_id": str(appointment.pk),
        "therapist_id": str(open_week.maya.pk),
        "client_id": str(open_week.client.pk),
        "note_id": str(note.pk),
        "consent_id": "1",
        "invoice_id": "1",
        "receipt_id": "1",
        "entry_id": "1",
        "token": "not-a-token",
    }


def test_no_hostile_request_answers_a_server_error(
    open_week: ClinicWeek, records: dict[str, str]
) -> None:
    document = WebClient().get("/api/v1/openapi.json").json()
    people = {"staff": bearer(open_week.cast.owner), "anonymous": WebClient()}
    failures: list[str] = []
    undocumented: list[str] = []
    tried = 0
    for method, template, operation in _operations(document):
        path = template.format(**records)
        schema = _body_schema(operation, document)
        bodies = list(BROKEN_BODIES)
        if schema is not None:
            base = _plausible(schema, document)
            bodies.append(json.dumps({**base, "unexpected": "field"}))
            for field in base:
                bodies += [json.dumps({**base, field: value}) for value in HOSTILE]
        for who, web in people.items():
            for body in bodies if who == "staff" else BROKEN_BODIES[:3]:
                tried += 1
                answer = _send(web, method, path, body)
                if answer.status_code >= 500:
                    failures.append(f"{who} {method.upper()} {template} {body[:120]!r}")
                elif answer.status_code >= 400 and not isinstance(answer.json().get("detail"), str):
                    undocumented.append(f"{method.upper()} {template}: {answer.json()}")
    assert tried > 1000
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures[:40])
    assert undocumented == [], "detail is not a sentence:\n" + "\n".join(undocumented[:20])


def test_hostile_text_on_pages_is_refused_with_a_clear_message(client: WebClient) -> None:
    for data in ({"username": "a\x00@example.com", "password": "x"}, {"next": "\x00"}):
        answer = client.post("/accounts/sign-in/", data)
        assert answer.status_code == 400
        assert "NUL character" in answer.content.decode()
    answer = client.get("/book/maple/?service=\x00")
    assert answer.status_code == 400
    api = client.post(
        "/api/v1/auth/token",
        '{"email": "\\ud800@example.com", "password": "x"}',
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "email contains an unpaired surrogate character" in api.json()["detail"]
