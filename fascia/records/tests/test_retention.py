"""Retention and disposal: a record is kept ten years after its last entry, or ten years after
the client's eighteenth birthday if later; the owner then destroys it on confirmation, the
only path that removes it, leaving a disposal log and an audit entry (the audit chain stays
whole). Until then every other way of deleting any row of it is refused by the database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from fascia.audit.chain import verify_chain
from fascia.audit.models import AuditAction, AuditEntry
from fascia.clients.actions import register_client
from fascia.clients.models import Client
from fascia.privacy.breaches import BreachReport, record_breach
from fascia.records.errors import RecordError
from fascia.records.models import RecordDisposal
from fascia.records.retention import (
    dispose_of_record,
    kept_until,
    past_retention,
    retention_of,
    years_after,
)
from fascia.records.tests.conftest import Chart
from fascia.records.tests.test_whole_record import kept  # noqa: F401 - the shared fixture
from fascia.records.whole_record import sections

LONG_AFTER = timezone.now() + timedelta(days=366 * 16)


def test_ten_years_after_the_last_entry() -> None:
    assert kept_until(date(2026, 3, 3), None) == date(2036, 3, 3)
    assert kept_until(date(2024, 2, 29), None) == date(2034, 2, 28)


def test_a_minor_is_kept_ten_years_after_their_eighteenth_birthday() -> None:
    # Last seen at 12: kept until 28, not 22.
    assert kept_until(date(2026, 5, 1), date(2014, 6, 15)) == date(2042, 6, 15)
    # An adult's birthday changes nothing.
    assert kept_until(date(2026, 5, 1), date(1980, 1, 1)) == date(2036, 5, 1)


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    st.one_of(st.none(), st.dates(min_value=date(1920, 1, 1), max_value=date(2060, 12, 31))),
)
def test_the_record_is_kept_for_the_later_of_the_two_periods(
    last_entry: date, born: date | None
) -> None:
    until = kept_until(last_entry, born)
    assert until >= years_after(last_entry, 10)
    if born is not None:
        assert until >= years_after(years_after(born, 18), 10)
    assert until in {years_after(last_entry, 10)} | (
        {years_after(years_after(born, 18), 10)} if born else set()
    )


def test_the_latest_entry_in_any_part_of_the_record_counts(kept: Chart) -> None:  # noqa: F811
    retention = retention_of(kept.client)
    # The visit (and its receipt) are in 2031: the latest entry is no earlier than that.
    assert retention.last_entry_on >= kept.appointment.starts_at.date()
    assert retention.kept_until == years_after(retention.last_entry_on, 10)
    assert kept.client not in [r.client for r in past_retention(kept.week.practice)]


def test_the_report_lists_records_past_retention_by_number(kept: Chart) -> None:  # noqa: F811
    later = (LONG_AFTER + timedelta(days=366 * 10)).date()
    out = StringIO()
    call_command(
        "retention", "report", "--practice", "maple", "--on", later.isoformat(), stdout=out
    )
    assert f"client {kept.client.pk}: last entry" in out.getvalue()
    assert "Casey" not in out.getvalue()  # names stay on the owner's page
    out = StringIO()
    call_command("retention", "report", "--practice", "maple", stdout=out)
    assert f"client {kept.client.pk}:" not in out.getvalue()


def test_disposal_is_refused_while_the_record_is_kept_and_to_anyone_but_the_owner(
    kept: Chart,  # noqa: F811
) -> None:
    owner = kept.week.cast.owner
    number = str(kept.client.pk)
    with pytest.raises(RecordError, match="must be kept until"):
        dispose_of_record(kept.client, by=owner, confirmation=number)
    later = LONG_AFTER + timedelta(days=366 * 10)
    with pytest.raises(RecordError, match="Only the owner"):
        dispose_of_record(kept.client, by=kept.maya, confirmation=number, now=later)
    with pytest.raises(RecordError, match="to confirm"):
        dispose_of_record(kept.client, by=owner, confirmation="yes", now=later)
    assert Client.objects.filter(pk=kept.client.pk).exists()


def test_disposal_destroys_the_whole_record_and_keeps_the_log(kept: Chart) -> None:  # noqa: F811
    client, practice, owner = kept.client, kept.week.practice, kept.week.cast.owner
    number = client.pk
    before = {section.key: section.rows(client).count() for section in sections()}
    assert all(before[key] for key in ("visits", "health_history", "treatment_notes", "receipts"))
    entries_about_client = AuditEntry.objects.filter(client_id=number).count()
    later = LONG_AFTER + timedelta(days=366 * 10)

    breach = record_breach(
        practice,
        BreachReport(
            discovered_at=timezone.now(),
            kind="lost",
            what_happened="A day sheet was lost.",
            records_affected="Names and times.",
        ),
        clients=[client],
        by=owner,
    )

    disposal = dispose_of_record(client, by=owner, confirmation=str(number), now=later)

    assert not Client.objects.filter(pk=number).exists()
    for section in sections():
        assert not section.all_rows().filter(**{f"{section.client_field}_id": number}).exists(), (
            section.key
        )
    assert disposal.rows_destroyed["clients.client"] == 1
    assert disposal.rows_destroyed["records.treatmentnote"] == 1
    assert (disposal.client_number, disposal.disposed_by) == (number, owner)
    assert "Casey" not in json.dumps(disposal.rows_destroyed) + disposal.method
    # The audit log keeps who saw the record, by the former number, and stays whole.
    assert AuditEntry.objects.filter(client_id=number).count() == entries_about_client
    logged = AuditEntry.objects.get(action=AuditAction.DISPOSE)
    assert logged.actor == owner and str(number) in logged.detail
    assert verify_chain(practice.pk).whole
    assert RecordDisposal.objects.count() == 1
    # A breach that named the client stays in the breach log, with its count of people.
    breach.refresh_from_db()
    assert breach.people_affected == 1 and not breach.clients.exists()


@pytest.mark.parametrize("section_key", [s.key for s in sections()])
def test_no_other_path_deletes_any_part_of_a_kept_record(
    kept: Chart,  # noqa: F811
    section_key: str,
) -> None:
    (section,) = [s for s in sections() if s.key == section_key]
    row = section.rows(kept.client).first()
    assert row is not None, section_key
    with pytest.raises((DatabaseError, IntegrityError, ProtectedError)), transaction.atomic():
        type(row)._base_manager.filter(pk=row.pk)._raw_delete(row._state.db)
    with pytest.raises((DatabaseError, IntegrityError, ProtectedError)), transaction.atomic():
        Client.objects.filter(pk=kept.client.pk)._raw_delete("default")
    assert type(row)._base_manager.filter(pk=row.pk).exists()


def test_the_owner_destroys_a_record_from_the_retention_page(
    kept: Chart,  # noqa: F811
    signed_in: Any,
) -> None:
    owner = signed_in(kept.week.cast.owner)
    page = owner.get("/staff/records/retention/")
    assert page.status_code == 200 and "No record has reached the end" in page.content.decode()
    old = register_client(
        kept.week.practice, by=None, legal_first_name="Morgan", legal_last_name="Olden"
    )
    long_ago = datetime(2012, 5, 1, 12, tzinfo=UTC)
    Client.objects.filter(pk=old.pk).update(created_at=long_ago, updated_at=long_ago)
    page = owner.get("/staff/records/retention/").content.decode()
    assert "Morgan Olden" in page and kept.client.display_name not in page
    wrong = owner.post(
        "/staff/records/retention/", {"client": old.pk, "confirmation": "0"}, follow=True
    )
    assert "to confirm" in wrong.content.decode()
    done = owner.post(
        "/staff/records/retention/", {"client": old.pk, "confirmation": str(old.pk)}, follow=True
    )
    assert "was destroyed" in done.content.decode()
    assert not Client.objects.filter(pk=old.pk).exists()
    assert "Morgan" not in done.content.decode().split("Disposal log")[1]
    for who in (kept.maya, kept.week.cast.front_desk, kept.week.cast.bookkeeper):
        assert signed_in(who).get("/staff/records/retention/").status_code == 403
