"""Benchmark: year-end statements for a large practice with a ten-year ledger.

5,000 clients, each with one paid, receipted treatment a year for ten years (50,000
appointments, invoices, lines and payments). Writes every client's statement for the last year
into a ZIP of PDFs and reports the time, the rate and the process's peak memory, beside the
memory after building the ledger (the statements must stream, not hold the ledger).

    .venv/bin/python bench/statements.py [--clients 5000]
    scripts/with-postgres .venv/bin/python bench/statements.py
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scheduling import configure, overlap_triggers_paused  # the sibling benchmark's helpers

YEARS = 10


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_ledger(clients: int) -> dict[str, Any]:
    from django.core.management import call_command

    from fascia.accounts.models import User
    from fascia.billing.models import Invoice, InvoiceLine, Payment, Receipt
    from fascia.clients.models import Client
    from fascia.practices.models import Location, Practice, Service, ServiceDuration, Therapist
    from fascia.scheduling.models import Appointment

    call_command("migrate", verbosity=0)
    practice = Practice.objects.create(
        name="Bench Ledger", slug="bench-ledger", tax_number="123456789 RT0001"
    )
    clinic = Location.objects.create(practice=practice, name="Clinic", street="1 Main", city="X")
    service = Service.objects.create(practice=practice, name="Massage", modality="swedish")
    ServiceDuration.objects.create(practice=practice, service=service, minutes=60, price=120)
    therapists = [
        Therapist.objects.create(
            practice=practice,
            user=User.objects.create_user(f"l{n}@bench.example", "bench-password-1"),
            display_name=f"RMT {n}",
            registration_number=f"L{n}",
            modalities=["swedish"],
        )
        for n in range(10)
    ]
    people = Client.objects.bulk_create(
        Client(practice=practice, legal_first_name=f"C{n}", legal_last_name=f"Ledger{n:05d}")
        for n in range(clients)
    )
    last_year = date.today().year - 1
    zone = practice.zone
    visits = []
    for index, person in enumerate(people):
        for year in range(last_year - YEARS + 1, last_year + 1):
            # Each therapist's clients take distinct (day, hour) slots: no double booking.
            slot = index // 10
            day = date(year, 1, 1) + timedelta(days=slot % 360)
            hour = 8 + (slot // 360) % 10
            starts = datetime.combine(day, clock(hour), tzinfo=zone)
            visits.append(
                Appointment(
                    practice=practice,
                    client=person,
                    therapist=therapists[index % 10],
                    service=service,
                    duration_minutes=60,
                    price=Decimal("120.00"),
                    location=clinic,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1),
                    busy_from=starts,
                    busy_until=starts + timedelta(hours=1),
                    channel="staff",
                    status="completed",
                )
            )
    with overlap_triggers_paused():
        visits = Appointment.objects.bulk_create(visits, batch_size=2000)
    invoices = Invoice.objects.bulk_create(
        (
            Invoice(
                practice=practice,
                client_id=visit.client_id,
                appointment=visit,
                number=n + 1,
                issued_at=visit.ends_at,
                tax_name="HST",
                tax_number=practice.tax_number,
            )
            for n, visit in enumerate(visits)
        ),
        batch_size=2000,
    )
    InvoiceLine.objects.bulk_create(
        (
            InvoiceLine(
                practice=practice,
                invoice=invoice,
                kind="treatment",
                description="Massage, 60 min",
                in_scope=True,
                unit_price=Decimal("120.00"),
                tax_rate=Decimal("0.13"),
                tax=Decimal("15.60"),
            )
            for invoice in invoices
        ),
        batch_size=2000,
    )
    Payment.objects.bulk_create(
        (
            Payment(
                practice=practice,
                invoice=invoice,
                amount=Decimal("135.60"),
                method="debit",
                received_at=invoice.issued_at,
            )
            for invoice in invoices
        ),
        batch_size=2000,
    )
    Receipt.objects.bulk_create(
        (
            Receipt(
                practice=practice,
                invoice=invoice,
                number=n + 1,
                kind="original",
                content={},
                issued_at=invoice.issued_at,
            )
            for n, invoice in enumerate(invoices)
        ),
        batch_size=2000,
    )
    return {"practice": practice, "year": last_year, "visits": len(visits)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=5000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        configure(data_dir)
        from django.db import connection, reset_queries

        from fascia.billing.statements import write_statements_zip

        began = time.perf_counter()
        setup = build_ledger(options.clients)
        reset_queries()
        built = time.perf_counter() - began
        print(
            f"database: {connection.vendor}; {options.clients:,} clients, "
            f"{setup['visits']:,} paid visits over {YEARS} years, built in {built:.0f}s; "
            f"peak memory so far {peak_mib():.0f} MiB"
        )
        out = Path(data_dir) / "statements.zip"
        began = time.perf_counter()
        with out.open("wb") as archive:
            written = write_statements_zip(setup["practice"], setup["year"], archive)
        seconds = time.perf_counter() - began
        print(
            f"{written:,} statements for {setup['year']} in {seconds:.1f}s "
            f"({written / seconds:.0f}/s, {seconds * 1000 / max(written, 1):.1f} ms each); "
            f"ZIP {out.stat().st_size / 1_048_576:.1f} MiB; peak memory {peak_mib():.0f} MiB"
        )


if __name__ == "__main__":
    main()
