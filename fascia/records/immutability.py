"""Signed clinical records are final in the database itself: a signed treatment note cannot be
updated or deleted, and health-history versions and note amendments cannot be changed at all
(see `fascia.audit.final_rows`)."""

from __future__ import annotations

from fascia.audit.final_rows import FinalRows, sqlite_reinstaller

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

# Each migration that adds a rule installs it (with the rules frozen as they were then);
# on SQLite every rule here is re-created after each migrate.
ensure_sqlite_triggers = sqlite_reinstaller(RULES)
