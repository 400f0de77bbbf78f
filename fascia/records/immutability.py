"""Signed clinical records are final in the database itself: a signed treatment note cannot be
updated or deleted, and health-history versions and note amendments cannot be changed at all
(see `fascia.audit.final_rows`)."""

from __future__ import annotations

from fascia.audit.final_rows import FinalRows, installer, sqlite_reinstaller

MESSAGE = "signed clinical records are final"
RULES = [
    FinalRows(
        "records_treatmentnote",
        MESSAGE,
        sqlite_condition="OLD.signed_at IS NOT NULL",
        postgres_condition="OLD.signed_at IS NOT NULL",
    ),
    FinalRows("records_healthhistory", MESSAGE),
    FinalRows("records_noteamendment", MESSAGE),
]

install = installer(RULES)
ensure_sqlite_triggers = sqlite_reinstaller(RULES)
