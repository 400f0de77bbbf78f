"""Booking through the JSON API: availability, tokens, booking, moving and cancelling."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from fascia.accounts.models import ApiToken
from fascia.accounts.tokens import issue_token
from fascia.audit.models import AuditEntry
from fascia.scheduling.models import Appointment, AppointmentStatus
from fascia.scheduling.tests.conftest import SOON, TORONTO, ClinicWeek

DAY = SOON


def at(hour: int, minute: int = 0, day: date = DAY) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=TORONTO).isoformat()


def bearer(user: Any) -> WebClient:
    return WebClient(HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")


def post(web: WebClient, path: str, body: dict[str, Any]) -> Any:
    return web.post(path, json.dumps(body), content_type="application/json")


def booking(week: ClinicWeek, **changes: Any) -> dict[str, Any]:
    body = {
        "service": week.service.pk,
        "therapist": week.maya.pk,
        "start": at(10),
        "location": week.clinic.pk,
        "minutes": 60,
        "accepts_cancellation_policy": True,
    }
    body.update(changes)
    return body


def test_availability_lists_slots_with_therapist_and_location(
    open_week: ClinicWeek, client: WebClient
) -> None:
    response = client.get(
        "/api/v1/availability",
        {
            "service": str(open_week.service.pk),
            "start": DAY.isoformat(),
            "end": DAY.isoformat(),
        },
    )
    assert response.status_code == 200
    slots = response.json()["slots"]
    first = slots[0]
    assert first["start"] == at(9)  # the clinic's local time, with its offset
    assert {slot["therapist"] for slot in slots} == {open_week.maya.pk, open_week.dan.pk}
    assert {slot["location"] for slot in slots} == {open_week.clinic.pk}
    one = client.get(
        "/api/v1/availability",
        {
            "service": str(open_week.service.pk),
            "start": DAY.isoformat(),
            "end": DAY.isoformat(),
            "therapist": str(open_week.dan.pk),
        },
    ).json()["slots"]
    assert {slot["therapist"] for slot in one} == {open_week.dan.pk}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2031-13-01"}, None),
        ({"start": "tomorrow"}, None),
        ({"end": "2000-01-01"}, "end date must not be before"),
        ({"end": (DAY + timedelta(days=90)).isoformat()}, "at most 62 days"),
        ({"service": 999999}, "Unknown service 999999"),
        ({"therapist": 999999}, "Unknown therapist 999999"),
        ({"minutes": 45}, "Give minutes"),
        ({"address": "12 Main St, Brampton"}, None),
    ],
)
def test_availability_rejects_bad_input_with_422(
    open_week: ClinicWeek, client: WebClient, params: dict[str, Any], message: str | None
) -> None:
    query: dict[str, Any] = {
        "service": open_week.service.pk,
        "start": DAY.isoformat(),
        "end": DAY.isoformat(),
    }
    query.update(params)
    response = client.get("/api/v1/availability", query)
    assert response.status_code == 422, response.content
    assert "detail" in response.json()
    if message:
        assert message in response.json()["detail"]


def test_tokens_sign_in_and_can_be_revoked(open_week: ClinicWeek, client: WebClient) -> None:
    wrong = post(client, "/api/v1/auth/token", {"email": "client@maple.test", "password": "x"})
    assert wrong.status_code == 401
    issued = post(
        client,
        "/api/v1/auth/token",
        {"email": "Client@Maple.test", "password": "correct-horse-battery"},
    )
    assert issued.status_code == 201
    token = issued.json()["token"]
    web = WebClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    me = web.get("/api/v1/me").json()
    assert me["email"] == "client@maple.test"
    assert me["client_records"] == [open_week.client.pk]
    assert web.delete("/api/v1/auth/token").status_code == 204
    revoked = web.get("/api/v1/me")
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["detail"]


def test_tokens_carry_the_prefix_may_expire_and_show_their_owner_when_last_used(
    open_week: ClinicWeek, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = post(
        client,
        "/api/v1/auth/token",
        {
            "email": "client@maple.test",
            "password": "correct-horse-battery",
            "label": "phone",
            "expires_in_days": 30,
        },
    ).json()
    token = issued["token"]
    assert token.startswith("fsc_") and len(token) >= 4 + 43  # 32 random bytes
    assert ApiToken.objects.get().digest != token and token not in ApiToken.objects.get().hint
    web = WebClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    (listed,) = web.get("/api/v1/auth/tokens").json()
    assert listed["label"] == "phone" and listed["hint"] == token[:8]
    assert listed["last_used_at"] is not None and listed["expires_at"] == issued["expires_at"]
    assert "token" not in listed and "digest" not in listed
    # Nobody else's tokens are listed.
    assert (
        bearer(open_week.cast.front_desk).get("/api/v1/auth/tokens").json()[0]["hint"]
        != (token[:8])
    )
    later = timezone.now() + timedelta(days=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    expired = web.get("/api/v1/me")
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    too_long = post(
        client,
        "/api/v1/auth/token",
        {"email": "client@maple.test", "password": "correct-horse-battery", "expires_in_days": 0},
    )
    assert too_long.status_code == 422


def test_a_client_books_moves_and_cancels_through_the_api(open_week: ClinicWeek) -> None:
    web = bearer(open_week.cast.client_user)
    created = post(web, "/api/v1/appointments", booking(open_week, idempotency_key="k-1"))
    assert created.status_code == 201, created.content
    appointment = created.json()
    assert appointment["id"] and appointment["status"] == "booked"
    assert appointment["client"] == open_week.client.pk

    replay = post(web, "/api/v1/appointments", booking(open_week, idempotency_key="k-1"))
    assert replay.status_code == 201
    assert replay.json()["id"] == appointment["id"]
    assert replay["Idempotent-Replayed"] == "true"
    assert Appointment.objects.count() == 1

    moved = post(web, f"/api/v1/appointments/{appointment['id']}/reschedule", {"start": at(14)})
    assert moved.status_code == 200, moved.content
    assert moved.json()["start"] == at(14)

    cancelled = post(web, f"/api/v1/appointments/{appointment['id']}/cancel", {"reason": "Away"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == AppointmentStatus.CANCELLED


def test_a_taken_slot_answers_409_with_the_reason(open_week: ClinicWeek) -> None:
    staff = bearer(open_week.cast.front_desk)
    first = post(
        staff, "/api/v1/appointments", booking(open_week, client=open_week.other_client.pk)
    )
    assert first.status_code == 201
    clash = post(
        bearer(open_week.cast.client_user),
        "/api/v1/appointments",
        booking(open_week, start=at(10, 30)),
    )
    assert clash.status_code == 409
    assert "no longer available" in clash.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"therapist": 999999}, 422, "Unknown therapist 999999"),
        ({"location": 999999}, 422, "Unknown location 999999"),
        ({"service": 999999}, 422, "Unknown service 999999"),
        ({"start": "not a date"}, 422, None),
        ({"start": at(10, day=date.today() - timedelta(days=3))}, 422, "already passed"),
        ({"accepts_cancellation_policy": False}, 422, "cancellation policy"),
        ({"minutes": 45}, 422, "Choose a length"),
        ({"start": at(20)}, 409, "not"),
    ],
)
def test_bad_bookings_are_refused_and_nothing_is_saved(
    open_week: ClinicWeek, changes: dict[str, Any], status: int, message: str | None
) -> None:
    audit_before = AuditEntry.objects.count()
    response = post(
        bearer(open_week.cast.client_user), "/api/v1/appointments", booking(open_week, **changes)
    )
    assert response.status_code == status, response.content
    if message:
        assert message in response.json()["detail"]
    assert not Appointment.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_client_token_cannot_book_for_someone_else(open_week: ClinicWeek) -> None:
    response = post(
        bearer(open_week.cast.client_user),
        "/api/v1/appointments",
        booking(open_week, client=open_week.other_client.pk),
    )
    assert response.status_code == 403
    assert "only for themselves" in response.json()["detail"]
    assert not Appointment.objects.exists()


def test_staff_must_say_which_client(open_week: ClinicWeek) -> None:
    staff = bearer(open_week.cast.front_desk)
    assert post(staff, "/api/v1/appointments", booking(open_week)).status_code == 422
    made = post(
        staff,
        "/api/v1/appointments",
        booking(open_week, client=open_week.client.pk, therapist=None),
    )
    assert made.status_code == 201, made.content
    assert made.json()["therapist"] in (open_week.maya.pk, open_week.dan.pk)  # "anyone"


def test_clients_see_only_their_own_appointments(open_week: ClinicWeek) -> None:
    staff = bearer(open_week.cast.front_desk)
    theirs = post(
        staff, "/api/v1/appointments", booking(open_week, client=open_week.other_client.pk)
    ).json()
    web = bearer(open_week.cast.client_user)
    assert web.get(f"/api/v1/appointments/{theirs['id']}").status_code == 404
    assert post(web, f"/api/v1/appointments/{theirs['id']}/cancel", {}).status_code == 404
    assert (
        web.get(
            "/api/v1/appointments", {"start": DAY.isoformat(), "end": DAY.isoformat()}
        ).status_code
        == 403
    )


def test_staff_calendar_lists_and_marks_attendance(open_week: ClinicWeek) -> None:
    staff = bearer(open_week.cast.front_desk)
    post(staff, "/api/v1/appointments", booking(open_week, client=open_week.client.pk))
    listing = staff.get("/api/v1/appointments", {"start": DAY.isoformat(), "end": DAY.isoformat()})
    assert [a["client_name"] for a in listing.json()] == [open_week.client.display_name]
    early = post(
        staff, f"/api/v1/appointments/{listing.json()[0]['id']}/attendance", {"status": "completed"}
    )
    assert early.status_code == 422
    assert "too early" in early.json()["detail"]


def test_staff_client_directory(open_week: ClinicWeek) -> None:
    staff = bearer(open_week.cast.front_desk)
    found = staff.get("/api/v1/clients", {"q": "robin"}).json()
    assert [c["legal_last_name"] for c in found] == ["Other"]
    made = post(
        staff,
        "/api/v1/clients",
        {"legal_first_name": "Ada", "legal_last_name": "Lovelace", "postal_code": "l6y0b3"},
    )
    assert made.status_code == 201
    assert made.json()["postal_code"] == "L6Y 0B3"
    bad = post(
        staff,
        "/api/v1/clients",
        {"legal_first_name": "Ada", "legal_last_name": "L", "postal_code": "123"},
    )
    assert bad.status_code == 422
    assert "postal code" in bad.json()["detail"]
    assert bearer(open_week.cast.bookkeeper).get("/api/v1/clients").status_code == 403


def test_session_requests_need_the_csrf_token_but_bearer_requests_do_not(
    open_week: ClinicWeek,
) -> None:
    browser = WebClient(enforce_csrf_checks=True)
    browser.force_login(open_week.cast.client_user)
    refused = post(browser, "/api/v1/appointments", booking(open_week))
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert (
        post(
            bearer(open_week.cast.client_user), "/api/v1/appointments", booking(open_week)
        ).status_code
        == 201
    )


def test_recording_physiotherapy_brings_a_warning(open_week: ClinicWeek) -> None:
    web = bearer(open_week.cast.client_user)
    recorded = post(
        web, "/api/v1/physiotherapy?practice=maple", {"starts_at": at(8), "provider": "Peel Physio"}
    )
    assert recorded.status_code == 201
    made = post(web, "/api/v1/appointments", booking(open_week))
    assert "physiotherapy" in made.json()["warnings"][0]


def test_the_openapi_schema_describes_the_booking_api(client: WebClient, db: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for route in (
        "/api/v1/availability",
        "/api/v1/appointments",
        "/api/v1/appointments/{appointment_id}/cancel",
        "/api/v1/appointments/{appointment_id}/reschedule",
        "/api/v1/auth/token",
        "/api/v1/clients",
        "/api/v1/services",
        "/api/v1/therapists",
        "/api/v1/locations",
    ):
        assert route in schema["paths"], route


def test_repeated_availability_is_remembered_until_the_schedule_changes(
    open_week: ClinicWeek, client: WebClient, django_assert_num_queries: Any
) -> None:
    """The second identical question reads only the schedule stamps; a booking, a change to
    the practice's notice, and staff (who see inside the notice) each get a right answer."""
    query = {
        "service": str(open_week.service.pk),
        "start": DAY.isoformat(),
        "end": DAY.isoformat(),
        "therapist": str(open_week.maya.pk),
    }

    def starts(web: WebClient = client) -> list[str]:
        return [slot["start"] for slot in web.get("/api/v1/availability", query).json()["slots"]]

    first = starts()
    with django_assert_num_queries(1):
        assert starts() == first
    assert at(10) in first

    customer = open_week.cast.client_user
    assert post(bearer(customer), "/api/v1/appointments", booking(open_week)).status_code == 201
    assert at(10) not in starts()

    practice = open_week.practice
    practice.booking_window_days = 1  # DAY is a week away: now out of clients' reach
    practice.save()
    assert starts() == []
    staff_sees = starts(bearer(open_week.cast.front_desk))  # staff book beyond the window
    assert staff_sees and at(11, 15) in staff_sees and at(10) not in staff_sees


def test_the_token_page_shows_their_owner_last_use_and_revokes(
    open_week: ClinicWeek, signed_in: Any
) -> None:
    desk = open_week.cast.front_desk
    token = issue_token(desk, "reception tablet")
    assert WebClient(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").status_code == 200
    others = issue_token(open_week.cast.owner, "owner's laptop")
    web = signed_in(desk)
    page = web.get("/accounts/api-tokens/").content.decode()
    assert "reception tablet" in page and token[:8] in page and token not in page
    assert "owner's laptop" not in page and "never" in page  # expires: never
    mine = ApiToken.objects.get(user=desk)
    assert mine.last_used_at is not None
    # Someone else's token cannot be revoked from here.
    theirs = ApiToken.objects.get(label="owner's laptop")
    web.post("/accounts/api-tokens/", {"token": theirs.pk})
    assert WebClient(HTTP_AUTHORIZATION=f"Bearer {others}").get("/api/v1/me").status_code == 200
    web.post("/accounts/api-tokens/", {"token": mine.pk})
    assert WebClient(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").status_code == 401
    assert "revoked" in web.get("/accounts/api-tokens/").content.decode()
    assert web.post("/accounts/api-tokens/", {"token": "abc"}).status_code == 400
