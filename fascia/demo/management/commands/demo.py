from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fascia.demo.catalogue import DEMO_PASSWORD, STAFF
from fascia.demo.loader import load_demo_practice


class Command(BaseCommand):
    help = "Load the demo practice and its demo logins. Safe to run again: it changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.FASCIA_ALLOW_DEMO:
            raise CommandError("Demo data is turned off here (FASCIA_ALLOW_DEMO is false).")
        practice = load_demo_practice(progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demo practice ready: {practice.public_name}"))
        logins = [email for email, _, _ in STAFF[:2]] + ["frontdesk@demo.test", "client@demo.test"]
        self.stdout.write(f"Sign in as {', '.join(logins)} with the password {DEMO_PASSWORD!r}.")
