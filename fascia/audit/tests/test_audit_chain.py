"""The audit log is a hash chain per practice: `fascia audit verify` passes on a log written
through the product and names the first entry that was edited, removed or inserted — and a tail
cut off after a checkpoint — with exit status 1. Writers at the same moment never fork it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from fascia.audit.chain import (
    CHAINED_FIELDS,
    GENESIS,
    checkpoint_line,
    entry_digest,
    take_daily_checkpoints,
    verify_chain,
)
from fascia.audit.log import record_access
from fascia.audit.models import AuditAction, AuditChainHead, AuditCheckpoint, AuditEntry
from fascia.audit.purge import audit_purge_permitted
from fascia.clients.actions import register_client
from fascia.notifications.outbox import deliver_due_messages

LIFT = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_auditentry_no_update"],
    "postgresql": [
        "SET CONSTRAINTS ALL IMMEDIATE",  # no checks pending, or the table cannot be altered
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only",
    ],
}
RESTORE = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON "
        "audit_auditentry BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
    ],
    "postgresql": [
        "SET CONSTRAINTS ALL IMMEDIATE",
        "ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only",
    ],
}


@contextmanager
def tampering() -> Iterator[Any]:
    """What someone with the database's password could do: lift the append-only triggers and
    rewrite rows directly."""
    with connection.cursor() as cursor:
        for statement in LIFT[connection.vendor]:
            cursor.execute(statement)
        try:
            with audit_purge_permitted():
                yield cursor
        finally:
            for statement in RESTORE[connection.vendor]:
                cursor.execute(statement)


def write_log(cast: Any, count: int) -> Any:
    client = register_client(cast.practice, by=None, legal_first_name="Ada", legal_last_name="Li")
    for n in range(count):
        record_access(
            practice=cast.practice,
            actor=cast.owner,
            action=AuditAction.VIEW,
            record=client,
            detail=f"chart {n}",
        )
    return client


def verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", *args, stdout=out)
    assert failure.value.returncode == 1
    return out.getvalue()


def last_place(cast: Any) -> int:
    return AuditChainHead.objects.get(practice=cast.practice).sequence


def by_place(cast: Any, sequence: int) -> AuditEntry:
    return AuditEntry.objects.get(practice=cast.practice, sequence=sequence)


def test_entries_written_through_the_product_form_a_whole_chain(maple: Any, birch: Any) -> None:
    write_log(maple, 5)
    write_log(birch, 3)
    entries = list(AuditEntry.objects.filter(practice=maple.practice).order_by("sequence"))
    assert [entry.sequence for entry in entries] == list(range(1, len(entries) + 1))
    assert entries[0].previous_hash == GENESIS
    for before, after in pairwise(entries):
        assert after.previous_hash == before.entry_hash
    head = AuditChainHead.objects.get(practice=maple.practice)
    assert (head.sequence, head.entry_hash) == (entries[-1].sequence, entries[-1].entry_hash)
    output = verify()
    assert f"maple: {len(entries)} entries, whole" in output
    assert "birch:" in output and "BROKEN" not in output
    assert "birch" not in verify("--practice", "maple")


def test_an_edited_entry_is_named_and_verify_exits_1(maple: Any) -> None:
    write_log(maple, 6)
    target = by_place(maple, 4)
    with tampering():
        AuditEntry.objects.filter(pk=target.pk).update(actor_label="someone.else@example.com")
    output = refused()
    assert "BROKEN: entry 4 was edited after it was written" in output
    assert not verify_chain(maple.practice.pk).whole


def test_an_edit_that_rewrites_the_hashes_after_it_is_still_caught_at_the_head(
    maple: Any,
) -> None:
    """Recomputing every hash after the edit makes a self-consistent chain; the daily checkpoint
    kept outside the database still tells."""
    write_log(maple, 4)
    take_daily_checkpoints()
    last = last_place(maple)
    kept = checkpoint_line("maple", last, by_place(maple, last).entry_hash or "")
    with tampering():
        AuditEntry.objects.filter(pk=by_place(maple, 2).pk).update(detail="nothing to see")
        previous = by_place(maple, 1).entry_hash or ""
        for sequence in range(2, last + 1):
            entry = by_place(maple, sequence)
            fields = {name: getattr(entry, name) for name in _chained()}
            new_hash = entry_digest(fields, previous)
            AuditEntry.objects.filter(pk=entry.pk).update(
                previous_hash=previous, entry_hash=new_hash
            )
            previous = new_hash
        AuditCheckpoint.objects.all().delete()  # and the copy in the database too
    assert "whole" in verify()  # nothing inside the database shows it any more…
    output = refused("--checkpoint", kept)  # …but the line the owner kept does
    assert f"entry {last} is not the one its checkpoint recorded" in output


def _chained() -> tuple[str, ...]:
    from fascia.audit.chain import CHAINED_FIELDS

    return CHAINED_FIELDS


def test_a_removed_entry_is_named(maple: Any) -> None:
    write_log(maple, 6)
    with tampering():
        AuditEntry.objects.filter(pk=by_place(maple, 3).pk).delete()
    assert "entry 3 is missing: the chain goes from 2 to 4" in refused()


def test_an_inserted_entry_is_named(maple: Any) -> None:
    write_log(maple, 5)
    with tampering() as cursor:
        # Make room after entry 2 and slip a forged entry in, hashed onto entry 2.
        for sequence in range(last_place(maple), 2, -1):
            AuditEntry.objects.filter(pk=by_place(maple, sequence).pk).update(sequence=sequence + 1)
        second = by_place(maple, 2)
        forged = {name: getattr(second, name) for name in _chained()}
        forged.update(sequence=3, detail="a visit that never happened")
        cursor.execute(
            "INSERT INTO audit_auditentry (practice_id, at, actor_label, role, action, "
            "record_type, record_id, detail, sequence, previous_hash, entry_hash) "
            "VALUES (%s, %s, %s, '', 'view', 'clients.client', '', %s, 3, %s, %s)",
            [
                maple.practice.pk,
                second.at,
                second.actor_label,
                forged["detail"],
                second.entry_hash,
                entry_digest(
                    {
                        **forged,
                        "role": "",
                        "action": "view",
                        "record_type": "clients.client",
                        "record_id": "",
                        "actor_id": None,
                        "client_id": None,
                        "ip_address": None,
                    },
                    second.entry_hash or "",
                ),
            ],
        )
    assert "entry 4 does not follow the entry before it" in refused()


def test_a_cut_off_end_is_caught_by_the_daily_checkpoint(maple: Any) -> None:
    write_log(maple, 5)
    assert take_daily_checkpoints() == 1
    assert take_daily_checkpoints() == 0  # once a day
    with tampering():
        AuditEntry.objects.filter(practice=maple.practice, sequence__gte=4).delete()
        AuditChainHead.objects.filter(practice=maple.practice).update(sequence=3)
    output = refused()
    assert "the chain ends at entry 3, but a checkpoint recorded entry" in output


def test_the_checkpoint_is_logged_and_mailed_to_the_owners_when_asked(
    maple: Any, settings: Any, caplog: Any
) -> None:
    settings.FASCIA_AUDIT_CHECKPOINT_EMAIL = True
    write_log(maple, 2)
    head = AuditChainHead.objects.get(practice=maple.practice)
    with caplog.at_level("INFO", logger="fascia.audit"):
        take_daily_checkpoints(timezone.now())
    line = checkpoint_line("maple", head.sequence, head.entry_hash)
    assert line in caplog.text
    deliver_due_messages()
    sent = [message for message in mail.outbox if line in message.body]
    assert [message.to for message in sent] == [[maple.owner.email]]
    printed = StringIO()
    call_command("audit", "checkpoint", "--practice", "maple", stdout=printed)
    assert printed.getvalue().strip() == line
    # The next day brings the next checkpoint.
    assert take_daily_checkpoints(timezone.now() + timedelta(days=1)) == 1


def test_a_bad_checkpoint_line_or_practice_is_refused_clearly(maple: Any) -> None:
    write_log(maple, 1)
    with pytest.raises(CommandError, match="Not a checkpoint line"):
        call_command("audit", "verify", "--checkpoint", "maple:x:y", stdout=StringIO())
    with pytest.raises(CommandError, match="No practice is called"):
        call_command("audit", "verify", "--practice", "nowhere", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_never_fork_the_chain(maple: Any) -> None:
    client = register_client(maple.practice, by=None, legal_first_name="Bo", legal_last_name="Ng")
    writers, each = 8, 5
    barrier = threading.Barrier(writers)
    failures: list[str] = []

    def write() -> None:
        try:
            barrier.wait()
            for n in range(each):
                record_access(
                    practice=maple.practice,
                    actor=maple.owner,
                    action=AuditAction.VIEW,
                    record=client,
                    detail=f"at once {n}",
                )
        except Exception as error:
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    sequences = sorted(
        AuditEntry.objects.filter(practice=maple.practice).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, len(sequences) + 1))
    assert len(sequences) >= writers * each
    assert verify_chain(maple.practice.pk).whole


def test_an_entry_hashes_the_same_in_the_database_as_in_python(maple: Any) -> None:
    """On PostgreSQL the link is made by the database in one statement; whatever the words in
    it (accents, quotes, backslashes, emoji), its hash is the one `verify` works out again."""
    client = register_client(maple.practice, by=None, legal_first_name="Zoë", legal_last_name="Ng")
    for detail in ["Réponse — « chart »", 'said "stop" \\ back', "🙂 ok", ""]:
        entry = record_access(
            practice=maple.practice,
            actor=maple.owner,
            action=AuditAction.VIEW,
            record=client,
            detail=detail,
        )
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert (stored.sequence, stored.entry_hash) == (entry.sequence, entry.entry_hash)
        chained = {name: getattr(stored, name) for name in CHAINED_FIELDS}
        assert stored.entry_hash == entry_digest(chained, stored.previous_hash or GENESIS)
        head = AuditChainHead.objects.get(practice=maple.practice)
        assert (head.sequence, head.entry_hash) == (stored.sequence, stored.entry_hash)
    assert verify_chain(maple.practice.pk).whole
