"""`fascia createpractice`: start a practice from the command line (a self-hosted install), or
make the link that lets a new owner start one (`--invite EMAIL`)."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fascia.accounts.start import NewPractice, start_link, start_practice
from fascia.links import absolute


class Command(BaseCommand):
    help = "Create a practice and its owner, or print an invitation link to start one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--invite", metavar="EMAIL", help="Only print a start link for EMAIL.")
        parser.add_argument("--name", help="The practice's legal name.")
        parser.add_argument("--slug", help="Its web address: /book/<slug>/.")
        parser.add_argument("--owner-email")
        parser.add_argument("--owner-name", default="")
        parser.add_argument("--time-zone", default="America/Toronto")
        parser.add_argument("--province", default="ON")
        parser.add_argument("--tax-number", default="", help="HST/GST number, if registered.")
        parser.add_argument(
            "--registration-number", default="", help="The owner's CMTO number, if an RMT."
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Do not ask for a password: print a one-hour link for the owner to choose one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["invite"]:
            self.stdout.write(start_link(options["invite"]))
            return
        missing = [name for name in ("name", "slug", "owner_email") if not options[name]]
        if missing:
            raise CommandError(
                "Give "
                + ", ".join("--" + name.replace("_", "-") for name in missing)
                + " (or --invite EMAIL)."
            )
        password = None if options["no_input"] else getpass.getpass("Owner's password: ")
        try:
            membership = start_practice(
                email=options["owner_email"],
                full_name=options["owner_name"],
                password=password,
                practice=NewPractice(
                    name=options["name"],
                    slug=options["slug"],
                    time_zone=options["time_zone"],
                    province=options["province"],
                    tax_number=options["tax_number"],
                    registration_number=options["registration_number"],
                ),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        owner = membership.user
        self.stdout.write(f"Practice {membership.practice.slug!r} created; owner {owner.email}.")
        if not owner.has_usable_password():
            uid = urlsafe_base64_encode(force_bytes(owner.pk))
            token = default_token_generator.make_token(owner)
            link = absolute(reverse("public:password-reset-confirm", args=[uid, token]))
            self.stdout.write(f"The owner chooses a password here (within an hour): {link}")
