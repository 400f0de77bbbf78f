"""The owner answers "who looked at this client's file?" and "what did this person open?" on
the audit log page, narrowed by dates and kind of access, and downloads it as CSV; reading the
log and exporting it are logged too. Nobody but the owner opens it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fascia.accounts.models import StaffMember
from fascia.audit.models import AuditAction, AuditEntry


def open_chart(web: Any, cast: Any) -> None:
    assert web.get(f"/staff/clients/{cast.client.pk}/").status_code == 200


def member_of(cast: Any, user: Any) -> StaffMember:
    return StaffMember.objects.get(practice=cast.practice, user=user)


def test_who_accessed_this_client_lists_each_person_who_opened_the_record(
    maple: Any, signed_in: Any
) -> None:
    open_chart(signed_in(maple.therapist_user), maple)
    open_chart(signed_in(maple.front_desk), maple)
    owner = signed_in(maple.owner)
    page = owner.get(f"/staff/audit/?client={maple.client.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "therapist@maple.test" in text and "frontdesk@maple.test" in text
    assert "bookkeeper@maple.test" not in text
    # Asking is itself on the record, against that client.
    asked = AuditEntry.objects.filter(client=maple.client, record_type="audit.auditentry").get()
    assert (asked.actor, asked.action) == (maple.owner, AuditAction.SEARCH)


def test_what_did_this_person_access_shows_only_their_entries(maple: Any, signed_in: Any) -> None:
    open_chart(signed_in(maple.therapist_user), maple)
    open_chart(signed_in(maple.front_desk), maple)
    page = signed_in(maple.owner).get(
        f"/staff/audit/?actor={member_of(maple, maple.therapist_user).pk}"
    )
    rows = page.context["page"].object_list
    assert rows and {entry.actor for entry in rows} == {maple.therapist_user}


def test_dates_and_kind_of_access_narrow_the_log(maple: Any, signed_in: Any) -> None:
    open_chart(signed_in(maple.therapist_user), maple)
    owner = signed_in(maple.owner)
    today = timezone.localdate(timezone=maple.practice.zone)
    tomorrow = today + timedelta(days=1)
    views = owner.get(f"/staff/audit/?action=view&first_day={today}&last_day={today}")
    assert views.context["page"].object_list
    assert {entry.action for entry in views.context["page"].object_list} == {"view"}
    later = owner.get(f"/staff/audit/?first_day={tomorrow}")
    assert list(later.context["page"].object_list) == []


def test_backwards_dates_get_an_error_beside_the_field(maple: Any, signed_in: Any) -> None:
    page = signed_in(maple.owner).get("/staff/audit/?first_day=2026-12-05&last_day=2026-12-01")
    assert page.status_code == 200
    assert page.context["form"].errors == {"last_day": ["The last day comes after the first."]}
    page = signed_in(maple.owner).get("/staff/audit/?first_day=yesterday")
    assert "first_day" in page.context["form"].errors


def test_the_csv_holds_the_entries_and_its_download_is_logged(maple: Any, signed_in: Any) -> None:
    open_chart(signed_in(maple.therapist_user), maple)
    response = signed_in(maple.owner).get(f"/staff/audit/?client={maple.client.pk}&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["When", "Who", "Role", "Access", "Client"]
    assert any(row[1] == "therapist@maple.test" and row[3] == "Viewed" for row in rows[1:])
    exported = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert (exported.actor, exported.client) == (maple.owner, maple.client)


@pytest.mark.parametrize("who", ["therapist_user", "front_desk", "bookkeeper", "client_user"])
def test_only_the_owner_opens_the_audit_log(maple: Any, signed_in: Any, who: str) -> None:
    response = signed_in(getattr(maple, who)).get("/staff/audit/")
    assert response.status_code in (302, 403)


def test_another_practices_client_cannot_be_asked_about(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    page = signed_in(maple.owner).get(f"/staff/audit/?client={birch.client.pk}")
    assert "client" in page.context["form"].errors
    assert not AuditEntry.objects.filter(client=birch.client, record_type="audit.auditentry")


def test_the_log_reads_in_the_owners_language_as_recorded_in_english(
    maple: Any, signed_in: Any
) -> None:
    """Entries keep their detail in English (the record); the page shows it in the reader's
    language, and a detail someone typed as it was typed."""
    desk = signed_in(maple.front_desk)
    assert desk.get(f"/staff/clients/{maple.client.pk}/edit/").status_code == 200
    recorded = AuditEntry.objects.filter(client=maple.client, detail="edit form").get()
    assert recorded.detail == "edit form"
    owner = signed_in(maple.owner)
    french = owner.get(f"/staff/audit/?client={maple.client.pk}&lang=fr").content.decode()
    assert "formulaire de modification" in french and ">edit form<" not in french
    english = owner.get(f"/staff/audit/?client={maple.client.pk}&lang=en").content.decode()
    assert "edit form" in english
