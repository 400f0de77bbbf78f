"""The audit log as a hash chain, one per practice: each entry carries its place in the chain,
the hash of the entry before it and its own SHA-256 over its fields and that hash. Editing an
entry changes its hash; removing or inserting one breaks the links after it; cutting the end off
is shown by the daily checkpoints kept outside the database. `verify_chain` walks the chain
(streamed, so a million entries need little memory) and names the first entry that does not fit.

Entries are appended under a lock on the practice's chain head, inside the caller's transaction,
so two writers at once never fork the chain and a rolled-back action leaves no link behind.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fascia.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from fascia.plain_sql import fetch_prepared

logger = logging.getLogger("fascia.audit")

GENESIS = "0" * 64  # the "previous hash" of a practice's first entry
# The fields an entry's hash covers, in order (with the previous hash after them).
CHAINED_FIELDS = (
    "sequence",
    "practice_id",
    "at",
    "actor_id",
    "actor_label",
    "role",
    "action",
    "client_id",
    "record_type",
    "record_id",
    "detail",
    "ip_address",
)
# Set when an entry is linked into its chain.
LINK_FIELDS = ("sequence", "previous_hash", "entry_hash")
STREAM_CHUNK = 5000


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def entry_digest(fields: dict[str, Any], previous_hash: str) -> str:
    """The SHA-256 of an entry: its chained fields and the previous entry's hash, written as
    JSON so no two different entries read the same."""
    written = [_canonical(fields[name]) for name in CHAINED_FIELDS] + [previous_hash]
    encoded = json.dumps(written, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def append_entry(**fields: Any) -> AuditEntry:
    """Write one audit entry as the next link of its practice's chain."""
    practice_id = fields.pop("practice").pk
    if _links_in_one_statement():
        entry = _append_in_one_statement(practice_id, fields)
        if entry is None:  # the practice's first entry
            _start_chain(practice_id)
            entry = _append_in_one_statement(practice_id, fields)
        assert entry is not None
        return entry
    with transaction.atomic():
        head = _locked_head(practice_id)
        if head is None:
            _start_chain(practice_id)
            head = _locked_head(practice_id)
            assert head is not None
        sequence, previous_hash = head
        now = timezone.now()
        entry = AuditEntry(practice_id=practice_id, at=now, sequence=sequence + 1, **fields)
        chained = {name: getattr(entry, name) for name in CHAINED_FIELDS}
        entry.previous_hash = previous_hash or GENESIS
        entry.entry_hash = entry_digest(chained, entry.previous_hash)
        # Saved exactly as hashed ("raw", as fixtures are): auto_now_add would otherwise
        # stamp `at` anew after the hash was taken over it.
        entry.save_base(raw=True, force_insert=True)
        _move_head(practice_id, sequence + 1, entry.entry_hash)
    return entry


# PostgreSQL links an entry in one statement: the head is locked, the entry's hash taken over
# the same JSON text `entry_digest` hashes (the fields after the sequence are written as JSON
# here; the sequence and the previous hash are put in by the database), the entry inserted and
# the head moved on. Outside a transaction that is one round trip instead of five, and the
# practice's chain head is locked only while the statement runs. Every page that shows health
# information writes one, so the statement is prepared once per connection (`plain_sql`).
_LINK = """
WITH head AS (
    SELECT id, sequence + 1 AS sequence, COALESCE(NULLIF(entry_hash, ''), %s) AS previous
    FROM {heads} WHERE practice_id = %s FOR UPDATE
), linked AS (
    SELECT id, sequence, previous,
        encode(sha256(convert_to(
            '[' || sequence::text || ',' || %s || ',"' || previous || '"]', 'UTF8'
        )), 'hex') AS entry_hash
    FROM head
), moved AS (
    UPDATE {heads} SET sequence = linked.sequence, entry_hash = linked.entry_hash
    FROM linked WHERE {heads}.id = linked.id
)
INSERT INTO {entries} ({columns}, sequence, previous_hash, entry_hash)
SELECT {values}, linked.sequence, linked.previous, linked.entry_hash FROM linked
RETURNING id, sequence, previous_hash, entry_hash
"""


def _links_in_one_statement() -> bool:
    """PostgreSQL with a UTF-8 database (so the bytes hashed there are the bytes hashed here)."""
    if connection.vendor != "postgresql":
        return False
    known: bool | None = getattr(connection, "_fascia_links_in_sql", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_encoding")
            known = cursor.fetchone()[0].upper() in ("UTF8", "UTF-8")
        connection._fascia_links_in_sql = known  # type: ignore[attr-defined]
    return known


def _append_in_one_statement(practice_id: int, fields: dict[str, Any]) -> AuditEntry | None:
    """The entry linked by one statement; None when the practice has no chain head yet."""
    entry = AuditEntry(practice_id=practice_id, at=timezone.now(), **fields)
    after_sequence = [_canonical(getattr(entry, name)) for name in CHAINED_FIELDS[1:]]
    written = json.dumps(after_sequence, ensure_ascii=False, separators=(",", ":"))[1:-1]
    values = [
        field.get_db_prep_save(getattr(entry, field.attname), connection) for field in _COLUMNS
    ]
    rows = fetch_prepared("fascia_audit_link", _link(), [GENESIS, practice_id, written, *values])
    if not rows:
        return None
    entry.pk, entry.sequence, entry.previous_hash, entry.entry_hash = rows[0]
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


# The entry's columns the statement writes (the link fields are worked out in it).
_COLUMNS = [
    field
    for field in AuditEntry._meta.concrete_fields
    if not field.primary_key and field.name not in LINK_FIELDS
]


@functools.cache
def _link() -> str:
    quote = connection.ops.quote_name
    return _LINK.format(
        heads=_head_table(),
        entries=quote(AuditEntry._meta.db_table),
        columns=", ".join(quote(field.column) for field in _COLUMNS),
        values=", ".join(["%s"] * len(_COLUMNS)),
    )


def _head_table() -> str:
    return connection.ops.quote_name(AuditChainHead._meta.db_table)


def _locked_head(practice_id: int) -> tuple[int, str] | None:
    """The practice's chain head (its last sequence number and hash), locked until the
    transaction ends (SQLite: the whole database is, by the write transaction)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sequence, entry_hash FROM {_head_table()} "  # noqa: S608
            f"WHERE practice_id = %s{lock}",
            [practice_id],
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row is not None else None


def _move_head(practice_id: int, sequence: int, entry_hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_head_table()} "  # noqa: S608
            "SET sequence = %s, entry_hash = %s WHERE practice_id = %s",
            [sequence, entry_hash, practice_id],
        )


def _start_chain(practice_id: int) -> None:
    """The practice's first entry: its chain head, made once even by two writers at once."""
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(practice_id=practice_id)
    except IntegrityError:
        pass  # another writer made it first


@dataclass
class ChainReport:
    """What `verify_chain` found: how many entries it checked per practice, and the first
    problem in each practice's chain (none when the chain is whole)."""

    checked: dict[int, int] = field(default_factory=dict)
    problems: dict[int, str] = field(default_factory=dict)

    @property
    def whole(self) -> bool:
        return not self.problems


def _entries(practice_id: int | None) -> Iterator[dict[str, Any]]:
    rows = AuditEntry.objects.order_by("practice_id", "sequence", "id")
    if practice_id is not None:
        rows = rows.filter(practice_id=practice_id)
    columns = [*CHAINED_FIELDS, "id", "previous_hash", "entry_hash"]
    for values in rows.values_list(*columns).iterator(chunk_size=STREAM_CHUNK):
        yield dict(zip(columns, values, strict=True))


def verify_chain(
    practice_id: int | None = None, checkpoints: list[tuple[int, int, str]] | None = None
) -> ChainReport:
    """Walk each practice's chain in order and report the first entry that was edited, removed
    or inserted, and a chain that ends before a checkpoint taken of it — those stored in the
    database and any given as (practice id, sequence, hash) from a copy kept elsewhere."""
    report = ChainReport()
    expected: dict[int, dict[int, str]] = {}
    stored = AuditCheckpoint.objects.all()
    if practice_id is not None:
        stored = stored.filter(practice_id=practice_id)
    for point in [
        *stored.values_list("practice_id", "sequence", "entry_hash"),
        *(checkpoints or []),
    ]:
        if practice_id is None or point[0] == practice_id:
            expected.setdefault(point[0], {})[point[1]] = point[2]
    current, previous, position = None, GENESIS, 0
    for entry in _entries(practice_id):
        practice = entry["practice_id"]
        if practice != current:
            current, previous, position = practice, GENESIS, 0
            report.checked[practice] = 0
        if practice in report.problems:
            continue
        report.checked[practice] += 1
        position += 1
        problem = _link_problem(entry, position, previous)
        seen = expected.get(practice, {}).pop(position, None)
        if problem is None and seen is not None and seen != entry["entry_hash"]:
            problem = _("entry %(sequence)s is not the one its checkpoint recorded") % {
                "sequence": position
            }
        if problem is not None:
            report.problems[practice] = problem
        previous = entry["entry_hash"] or ""
    for practice, missing in expected.items():
        if missing and practice not in report.problems:
            last = max(missing)
            report.problems[practice] = _(
                "the chain ends at entry %(end)s, but a checkpoint recorded entry %(sequence)s: "
                "entries were removed from its end"
            ) % {"end": report.checked.get(practice, 0), "sequence": last}
    return report


def _link_problem(entry: dict[str, Any], position: int, previous: str) -> str | None:
    sequence = entry["sequence"]
    if sequence is None:
        return _("entry id %(id)s is outside the chain (no place in it)") % {"id": entry["id"]}
    if sequence > position:
        return _("entry %(sequence)s is missing: the chain goes from %(before)s to %(after)s") % {
            "sequence": position,
            "before": position - 1,
            "after": sequence,
        }
    if entry["previous_hash"] != previous:
        return _(
            "entry %(sequence)s does not follow the entry before it (one was inserted, "
            "removed or edited)"
        ) % {"sequence": sequence}
    if entry_digest(entry, previous) != entry["entry_hash"]:
        return _("entry %(sequence)s was edited after it was written") % {"sequence": sequence}
    return None


def take_daily_checkpoints(now: datetime | None = None) -> int:
    """Worker job: once a day per practice, record where its chain stands, write it to the log
    output and, where `FASCIA_AUDIT_CHECKPOINT_EMAIL` is on, mail it to the practice's owner."""
    from fascia.accounts.practice_context import owner_emails
    from fascia.notifications.models import Channel
    from fascia.notifications.outbox import Message, enqueue

    now = now or timezone.now()
    taken = 0
    for head in AuditChainHead.objects.select_related("practice").filter(sequence__gt=0):
        practice = head.practice
        day = timezone.localdate(now, timezone=practice.zone)
        point, created = AuditCheckpoint.objects.get_or_create(
            practice=practice,
            taken_on=day,
            defaults={"taken_at": now, "sequence": head.sequence, "entry_hash": head.entry_hash},
        )
        if not created:
            continue
        taken += 1
        line = checkpoint_line(practice.slug, point.sequence, point.entry_hash)
        logger.info("audit checkpoint %s", line)
        if not settings.FASCIA_AUDIT_CHECKPOINT_EMAIL:
            continue
        for owner_email in owner_emails(practice):
            enqueue(
                practice,
                Message(
                    channel=Channel.EMAIL,
                    to=owner_email,
                    subject=_("Audit log checkpoint for %(day)s") % {"day": day.isoformat()},
                    body=_(
                        "Keep this line: it lets `fascia audit verify --checkpoint` show whether "
                        "entries were later removed from the end of the audit log.\n\n%(line)s"
                    )
                    % {"line": line},
                    dedupe_key=f"audit-checkpoint:{practice.pk}:{day.isoformat()}:{owner_email}",
                ),
            )
    return taken


def checkpoint_line(slug: str, sequence: int, entry_hash: str) -> str:
    """A checkpoint as one line to keep: "practice-slug:sequence:hash"."""
    return f"{slug}:{sequence}:{entry_hash}"
