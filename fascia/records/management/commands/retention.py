"""`fascia retention report [--practice SLUG] [--on YYYY-MM-DD]`: the client records past their
retention period, by number (names are on the owner's retention page, not in a terminal)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fascia.practices.models import Practice
from fascia.records.retention import past_retention


class Command(BaseCommand):
    help = "List the client records past their retention period."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        report = actions.add_parser("report", help="Records past their retention period.")
        report.add_argument("--practice", help="Only this practice (its slug).")
        report.add_argument("--on", help="As on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        practices = Practice.objects.order_by("slug")
        if options.get("practice"):
            practices = practices.filter(slug=options["practice"])
            if not practices.exists():
                raise CommandError(f"No practice is called {options['practice']!r}.")
        on = None
        if options.get("on"):
            try:
                on = date.fromisoformat(options["on"])
            except ValueError as error:
                raise CommandError(f"Not a date (YYYY-MM-DD): {options['on']!r}") from error
        for practice in practices:
            ended = past_retention(practice, on)
            self.stdout.write(f"{practice.slug}: {len(ended)} record(s) past retention")
            for retention in ended:
                self.stdout.write(
                    f"  client {retention.client.pk}: last entry {retention.last_entry_on}, "
                    f"kept until {retention.kept_until}"
                )
