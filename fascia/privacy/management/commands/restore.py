"""`fascia restore PATH`: bring a backup made by `fascia backup` back onto an empty
installation, then check every table, every file and the audit chain against its manifest.
A wrong key, a changed file or a backup from a newer Fascia is refused and changes nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fascia.privacy.backups import restore_backup
from fascia.privacy.sealing import BackupRefused


class Command(BaseCommand):
    help = "Restore a backup written by `fascia backup` onto an empty installation."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", help="The backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = restore_backup(Path(options["path"]))
        except BackupRefused as refused:
            raise CommandError(f"Nothing was restored. {refused.message}") from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and checked: {restored.tables} tables, {restored.rows} rows and "
                f"{restored.files} files match the backup's manifest; the audit log's chain is "
                f"whole ({restored.audit_entries} entries)."
            )
        )
        if restored.migrated:
            self.stdout.write("The backup was older than this Fascia: its database was migrated.")
