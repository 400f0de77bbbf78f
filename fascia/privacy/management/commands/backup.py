"""`fascia backup PATH`: write one encrypted, consistent backup of the database and every
uploaded file, with its manifest (see fascia/privacy/backups.py and docs/deploy.md).
`fascia backup --new-key` prints a fresh random key to keep as FASCIA_BACKUP_KEY."""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fascia.privacy.backups import make_backup
from fascia.privacy.sealing import BackupRefused


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and uploaded files to PATH."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", nargs="?", help="Where to write the backup (a new file).")
        parser.add_argument(
            "--new-key", action="store_true", help="Print a new random backup key and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(secrets.token_urlsafe(32))
            return
        if not options["path"]:
            raise CommandError("Say where to write the backup: fascia backup PATH")
        try:
            made = make_backup(Path(options["path"]))
        except BackupRefused as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {made.path}: {made.tables} tables, {made.rows} rows, "
                f"{made.files} files, {made.bytes} bytes (encrypted)."
            )
        )
