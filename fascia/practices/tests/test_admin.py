"""Owners manage their practice's records in the admin; new rows join the owner's practice."""

from __future__ import annotations

from typing import Any

from fascia.accounts.models import User
from fascia.audit.models import AuditAction, AuditEntry
from fascia.clients.models import Client
from fascia.notifications.models import Channel, OutboundMessage
from fascia.notifications.outbox import Message, enqueue
from fascia.practices.models import Location, Room, Service, ServiceDuration, Therapist


def inline_management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_owner_adds_a_service_with_lengths_and_prices(maple: Any, signed_in: Any) -> None:
    response = signed_in(maple.owner).post(
        "/admin/practices/service/add/",
        {
            "name": "Cupping therapy",
            "modality": "cupping",
            "description": "",
            "taxable": "on",
            "bookable_online": "on",
            "in_clinic": "on",
            "buffer_before_minutes": "0",
            "buffer_after_minutes": "15",
            "is_active": "on",
            "display_order": "3",
            **inline_management("durations", 2),
            "durations-0-minutes": "30",
            "durations-0-price": "80.00",
            "durations-1-minutes": "60",
            "durations-1-price": "130.00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(name="Cupping therapy")
    assert service.practice == maple.practice
    durations = ServiceDuration.objects.filter(service=service).order_by("minutes")
    assert [(d.minutes, str(d.price), d.practice_id) for d in durations] == [
        (30, "80.00", maple.practice.pk),
        (60, "130.00", maple.practice.pk),
    ]


def test_a_service_offered_nowhere_is_refused_with_a_message(maple: Any, signed_in: Any) -> None:
    response = signed_in(maple.owner).post(
        "/admin/practices/service/add/",
        {
            "name": "Nowhere",
            "modality": "swedish",
            "buffer_before_minutes": "0",
            "buffer_after_minutes": "0",
            "display_order": "0",
            **inline_management("durations", 0),
        },
    )
    assert response.status_code == 200
    assert "offered in clinic, at home, or both" in response.content.decode()
    assert not Service.objects.filter(name="Nowhere").exists()


def test_owner_adds_a_clinic_with_rooms(maple: Any, signed_in: Any) -> None:
    response = signed_in(maple.owner).post(
        "/admin/practices/location/add/",
        {
            "name": "Oakville Clinic",
            "kind": "clinic",
            "street": "5 Lakeshore Rd",
            "unit": "",
            "city": "Oakville",
            "province": "ON",
            "postal_code": "l6j1h9",
            "phone": "",
            "access_notes": "",
            "is_active": "on",
            "latitude": "",
            "longitude": "",
            "travel_base_fee": "0.00",
            "travel_free_km": "0",
            "travel_fee_per_km": "0.00",
            **inline_management("rooms", 1),
            "rooms-0-name": "Room A",
            "rooms-0-is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    clinic = Location.objects.get(name="Oakville Clinic")
    assert (clinic.practice, clinic.postal_code) == (maple.practice, "L6J 1H9")
    assert Room.objects.get(location=clinic).practice == maple.practice


def test_client_saved_in_admin_goes_through_the_action_and_is_audited(
    maple: Any, signed_in: Any
) -> None:
    web = signed_in(maple.owner)
    response = web.post(
        "/admin/clients/client/add/",
        {
            "legal_first_name": "Noor",
            "legal_last_name": "Haddad",
            "province": "ON",
            "preferred_language": "en",
            "postal_code": "L6Y 0B3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client = Client.objects.get(legal_last_name="Haddad")
    assert client.practice == maple.practice
    web.get(f"/admin/clients/client/{client.pk}/change/")
    actions = list(AuditEntry.objects.filter(client=client).values_list("action", flat=True))
    assert actions == [AuditAction.VIEW, AuditAction.CREATE]  # newest first
    assert web.get(f"/admin/clients/client/{client.pk}/delete/").status_code == 403


def test_the_audit_log_is_read_only_in_the_admin(maple: Any, birch: Any, signed_in: Any) -> None:
    signed_in(birch.owner).get(f"/staff/clients/{birch.client.pk}/")
    web = signed_in(maple.owner)
    listing = web.get("/admin/audit/auditentry/")
    assert listing.status_code == 200
    shown = {entry.practice_id for entry in listing.context["cl"].result_list}
    assert shown == {maple.practice.pk}
    entry = AuditEntry.objects.filter(practice=maple.practice).first()
    assert entry is not None
    change = web.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"detail": "rewritten"})
    assert change.status_code in (200, 403)
    entry.refresh_from_db()
    assert entry.detail != "rewritten"
    assert web.get("/admin/audit/auditentry/add/").status_code == 403


def test_admin_filters_offer_only_the_owners_practice(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    Therapist.objects.create(
        practice=maple.practice,
        user=User.objects.create_user("second@maple.test", "second-password-1"),
        display_name="Second Maple Therapist",
        registration_number="B2",
    )
    page = signed_in(maple.owner).get("/admin/scheduling/appointment/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Second Maple Therapist" in text  # the filter is shown…
    assert birch.therapist.display_name not in text  # …with this practice's therapists only
    assert f"therapist__id__exact={birch.therapist.pk}" not in text
    shifts = signed_in(maple.owner).get("/admin/scheduling/weeklyshift/").content.decode()
    assert birch.therapist.display_name not in shifts
    # Platform operators see every practice's.
    operator = User.objects.create_superuser("operator@fascia.test", "operator-password-1")
    everything = signed_in(operator).get("/admin/scheduling/appointment/").content.decode()
    assert birch.therapist.display_name in everything


def test_the_admin_shows_that_a_message_went_never_what_it_said(maple: Any, signed_in: Any) -> None:
    enqueue(
        maple.practice,
        Message(
            channel=Channel.EMAIL,
            to=maple.client.email,
            subject="Your home care plan",
            body="Ice the left knee twice a day.",
        ),
    )
    message = OutboundMessage.objects.get()
    web = signed_in(maple.owner)
    page = web.get(f"/admin/notifications/outboundmessage/{message.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your home care plan" in text
    assert "Ice the left knee" not in text and "Not shown" in text
