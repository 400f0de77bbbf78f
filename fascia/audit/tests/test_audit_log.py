"""Every access to a client's record is logged, and the log cannot be rewritten."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from fascia.audit.models import AppendOnlyError, AuditAction, AuditEntry
from fascia.audit.purge import audit_purge_permitted


def entries_for(client: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(client=client).order_by("id"))


def test_opening_a_client_record_is_logged_with_who_role_and_address(
    maple: Any, signed_in: Any
) -> None:
    signed_in(maple.therapist_user).get(
        f"/staff/clients/{maple.client.pk}/", REMOTE_ADDR="203.0.113.7"
    )
    entry = entries_for(maple.client)[-1]
    assert entry.action == AuditAction.VIEW
    assert entry.actor == maple.therapist_user
    assert entry.actor_label == "therapist@maple.test"
    assert entry.role == "therapist"
    assert entry.practice == maple.practice
    assert (entry.record_type, entry.record_id) == ("clients.client", str(maple.client.pk))
    assert entry.ip_address == "203.0.113.7"


def test_adding_and_changing_a_client_are_logged(maple: Any, signed_in: Any) -> None:
    web = signed_in(maple.front_desk)
    response = web.post(
        "/staff/clients/new/",
        {
            "legal_first_name": "Rowan",
            "legal_last_name": "Ashby",
            "province": "ON",
            "preferred_language": "en",
            "postal_code": "l6y0b3",
        },
    )
    assert response.status_code == 302
    client = AuditEntry.objects.get(action=AuditAction.CREATE, actor=maple.front_desk).client
    assert client is not None
    assert client.postal_code == "L6Y 0B3"
    web.post(
        f"/staff/clients/{client.pk}/edit/",
        {
            "legal_first_name": "Rowan",
            "legal_last_name": "Ashby-Lee",
            "province": "ON",
            "preferred_language": "en",
            "postal_code": "L6Y 0B3",
            "consents_to_sms_reminders": "on",
        },
    )
    change = entries_for(client)[-1]
    assert change.action == AuditAction.CHANGE
    assert "legal_last_name" in change.detail
    assert "consents_to_sms_reminders" in change.detail


def test_listing_clients_is_logged_as_a_search(maple: Any, signed_in: Any) -> None:
    signed_in(maple.front_desk).get("/staff/clients/", {"q": "casey"})
    entry = AuditEntry.objects.filter(action=AuditAction.SEARCH).get()
    assert "casey" in entry.detail
    assert entry.client is None


def test_a_client_viewing_their_own_account_is_logged(maple: Any, signed_in: Any) -> None:
    page = signed_in(maple.client_user).get("/account/")
    assert maple.client.legal_last_name in page.content.decode()
    entry = entries_for(maple.client)[-1]
    assert (entry.action, entry.role, entry.actor) == ("view", "client", maple.client_user)


def test_audit_entries_cannot_be_changed_or_deleted_through_the_model(maple: Any) -> None:
    entry = entries_for(maple.client)[0]
    entry.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditentry SET detail = 'rewritten'", "DELETE FROM audit_auditentry"],
)
def test_the_database_refuses_to_rewrite_the_audit_log(maple: Any, statement: str) -> None:
    before = AuditEntry.objects.count()
    assert before > 0
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.count() == before
    assert not AuditEntry.objects.filter(detail="rewritten").exists()


def test_bulk_queryset_writes_are_refused_too(maple: Any) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().update(detail="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)


def test_only_the_explicit_purge_permit_lets_entries_be_destroyed(maple: Any) -> None:
    with audit_purge_permitted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 0
    AuditEntry.objects.create(practice=maple.practice, action="view", actor_label="system")
    # Once the permit is withdrawn, the triggers refuse again.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 1
