from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fascia.billing.statements import write_statements_zip
from fascia.practices.models import Practice


class Command(BaseCommand):
    help = "Write every client's year-end statement of paid treatments, as PDFs in one ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("practice", help="The practice's slug, e.g. demo")
        parser.add_argument("year", type=int, help="The tax year, e.g. 2026")
        parser.add_argument(
            "--out", type=Path, help="ZIP file to write (default: statements-<slug>-<year>.zip)"
        )

    def handle(
        self, *args: Any, practice: str, year: int, out: Path | None, **options: Any
    ) -> None:
        found = Practice.objects.filter(slug=practice).first()
        if found is None:
            raise CommandError(f"No practice is called {practice!r}.")
        out = out or Path(f"statements-{found.slug}-{year}.zip")
        width = 30

        def progress(done: int, total: int) -> None:
            filled = width * done // total if total else width
            self.stderr.write(
                f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total}", ending=""
            )

        with out.open("wb") as archive:
            written = write_statements_zip(found, year, archive, progress=progress)
        self.stderr.write("")
        self.stdout.write(f"{written} statements for {year} written to {out}.")
