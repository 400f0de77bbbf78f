from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fascia.notifications.worker import Worker, worker_jobs


class Command(BaseCommand):
    help = "Run the background worker: reminders, message delivery, expired holds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between rounds (default 10)."
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=None,
            help="Stop after this many rounds (default: run until stopped).",
        )

    def handle(self, *args: Any, interval: float, rounds: int | None, **options: Any) -> None:
        names = ", ".join(name.rsplit(".", 1)[-1] for name, _ in worker_jobs())
        self.stdout.write(f"Fascia worker: {names}, every {interval:g}s. Ctrl-C to stop.")
        Worker(interval).run(rounds)
