"""`fascia audit verify [--practice SLUG] [--checkpoint LINE ...]`: walk each practice's audit
chain and name the first entry that was edited, removed or inserted (exit status 1).
`fascia audit checkpoint`: print where each practice's chain stands now, one line to keep
outside the database."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fascia.audit.chain import checkpoint_line, verify_chain
from fascia.audit.models import AuditChainHead
from fascia.practices.models import Practice


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or print its checkpoint."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="Walk the chain; exit 1 on the first break.")
        verify.add_argument("--practice", help="Only this practice (its slug).")
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            help="A checkpoint line kept elsewhere (slug:sequence:hash); may repeat.",
        )
        checkpoint = actions.add_parser("checkpoint", help="Print each chain's head.")
        checkpoint.add_argument("--practice", help="Only this practice (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        practice = self._practice(options.get("practice"))
        if options["action"] == "checkpoint":
            heads = AuditChainHead.objects.select_related("practice").order_by("practice__slug")
            if practice is not None:
                heads = heads.filter(practice=practice)
            for head in heads:
                self.stdout.write(
                    checkpoint_line(head.practice.slug, head.sequence, head.entry_hash)
                )
            return
        report = verify_chain(
            practice.pk if practice else None, self._checkpoints(options["checkpoint"])
        )
        slugs = dict(Practice.objects.values_list("pk", "slug"))
        for practice_id, count in sorted(report.checked.items()):
            problem = report.problems.get(practice_id)
            state = f"BROKEN: {problem}" if problem else "whole"
            self.stdout.write(f"{slugs.get(practice_id, practice_id)}: {count} entries, {state}")
        for practice_id, problem in report.problems.items():
            if practice_id not in report.checked:
                self.stdout.write(f"{slugs.get(practice_id, practice_id)}: BROKEN: {problem}")
        if not report.whole:
            raise CommandError("The audit log's chain is broken.", returncode=1)

    def _practice(self, slug: str | None) -> Practice | None:
        if not slug:
            return None
        found = Practice.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No practice is called {slug!r}.")
        return found

    def _checkpoints(self, lines: list[str]) -> list[tuple[int, int, str]]:
        slugs = dict(Practice.objects.values_list("slug", "pk"))
        points = []
        for line in lines:
            slug, _, rest = line.strip().partition(":")
            sequence, _, entry_hash = rest.partition(":")
            if slug not in slugs or not sequence.isdigit() or len(entry_hash) != 64:
                raise CommandError(f"Not a checkpoint line (slug:sequence:hash): {line!r}")
            points.append((slugs[slug], int(sequence), entry_hash))
        return points
