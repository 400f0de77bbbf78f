"""Benchmark: the audit log's hash chain.

1. `verify_chain` over a practice's log of a million entries (streamed): time, entries a
   second and the process's peak memory, beside reading the same rows without hashing them
   (the floor any verification has to pay) in the same run.
2. Writing one entry through `record_access` (the chain head locked, the hash taken) beside
   inserting the same entry with no chain, in the same run.

    .venv/bin/python bench/audit.py [--entries 1000000]
    scripts/with-postgres .venv/bin/python bench/audit.py
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scheduling import configure  # the sibling benchmark's helpers

BATCH = 5000
WRITES = 2000


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_log(entries: int) -> Any:
    """A practice whose chain holds `entries` entries, written in batches as the product would
    have chained them (the hashes are the product's own)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from fascia.audit.chain import CHAINED_FIELDS, GENESIS, entry_digest
    from fascia.audit.models import AuditChainHead
    from fascia.practices.models import Practice

    call_command("migrate", verbosity=0)
    practice = Practice.objects.create(name="Bench Audit", slug="bench-audit")
    start = datetime(2016, 1, 4, 9, tzinfo=UTC)
    previous = GENESIS
    columns = [name for name in CHAINED_FIELDS if name not in ("actor_id", "client_id")]
    # The column names are the product's own constants, never input.
    names, marks = ", ".join(columns), ", ".join(["%s"] * (len(columns) + 2))
    sql = f"INSERT INTO audit_auditentry ({names}, previous_hash, entry_hash) VALUES ({marks})"  # noqa: S608
    for first in range(1, entries + 1, BATCH):
        rows: list[list[Any]] = []
        for sequence in range(first, min(first + BATCH, entries + 1)):
            fields = {
                "sequence": sequence,
                "practice_id": practice.pk,
                "at": start + timedelta(minutes=5 * sequence),
                "actor_id": None,
                "actor_label": f"therapist{sequence % 12}@bench.test",
                "role": "therapist",
                "action": "view",
                "client_id": None,
                "record_type": "records.treatmentnote",
                "record_id": str(sequence),
                "detail": "chart",
                "ip_address": "203.0.113.7",
            }
            digest = entry_digest(fields, previous)
            rows.append([fields[name] for name in columns] + [previous, digest])
            previous = digest
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    AuditChainHead.objects.create(practice=practice, sequence=entries, entry_hash=previous)
    return practice


def read_floor(practice: Any) -> float:
    """Stream the same rows and columns `verify_chain` reads, hashing nothing."""
    from fascia.audit.chain import CHAINED_FIELDS, STREAM_CHUNK
    from fascia.audit.models import AuditEntry

    began = time.perf_counter()
    rows = AuditEntry.objects.filter(practice=practice).order_by("practice_id", "sequence", "id")
    columns = [*CHAINED_FIELDS, "id", "previous_hash", "entry_hash"]
    for _row in rows.values_list(*columns).iterator(chunk_size=STREAM_CHUNK):
        pass
    return time.perf_counter() - began


def writes(practice: Any) -> tuple[float, float]:
    """Seconds per entry: through `record_access` (chained), and a plain insert of the same."""
    from fascia.audit.log import record_access
    from fascia.audit.models import AuditAction, AuditEntry

    began = time.perf_counter()
    for n in range(WRITES):
        record_access(
            practice=practice,
            actor=None,
            action=AuditAction.VIEW,
            record_type="records.treatmentnote",
            detail=f"chart {n}",
        )
    chained = (time.perf_counter() - began) / WRITES
    began = time.perf_counter()
    for n in range(WRITES):
        AuditEntry.objects.create(
            practice=practice,
            actor_label="system",
            action=AuditAction.VIEW,
            record_type="records.treatmentnote",
            detail=f"plain {n}",
        )
    plain = (time.perf_counter() - began) / WRITES
    return chained, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        configure(data_dir)
        from django.db import connection

        from fascia.audit.chain import verify_chain

        began = time.perf_counter()
        practice = build_log(options.entries)
        built = time.perf_counter() - began
        memory_before = peak_mib()
        floor = read_floor(practice)
        began = time.perf_counter()
        report = verify_chain(practice.pk)
        verified = time.perf_counter() - began
        assert report.whole and report.checked[practice.pk] == options.entries, report
        chained, plain = writes(practice)
        print(f"database: {connection.vendor}; {options.entries:,} entries built in {built:.0f} s")
        print(
            f"verify_chain: {verified:.1f} s ({options.entries / verified:,.0f} entries/s); "
            f"reading the rows alone {floor:.1f} s; ratio {floor / verified:.0%} of the floor's "
            f"speed"
        )
        print(f"peak memory: {peak_mib():.0f} MiB (after building it: {memory_before:.0f} MiB)")
        print(
            f"one entry through record_access: {chained * 1000:.2f} ms; a plain insert "
            f"{plain * 1000:.2f} ms; ratio {plain / chained:.0%}"
        )


if __name__ == "__main__":
    main()
