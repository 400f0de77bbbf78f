"""Signed clinical records are final in the database itself: a signed treatment note cannot be
updated or deleted, and health-history versions and note amendments cannot be changed at all
(see `fascia.audit.final_rows`). Every other row of a client's record — the client, their
visits, consents, plans, scores, self-care plans… — is kept: it may change as the actions allow
but is never deleted, except by the disposal after the retention period
(`records.retention.dispose_of_record`, under the audit purge permit)."""

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
KEPT_MESSAGE = "client records are kept for the retention period"
KEPT_TABLES = (
    "clients_client",
    "scheduling_appointment",
    "records_historyreview",
    "records_consent",
    "records_treatmentplan",
    "records_assessment",
    "records_outcomescore",
    "records_questionnairerequest",
    "records_rangeofmotion",
    "records_selfcareplan",
    "records_disclosure",
    "records_emergencyaccess",
    "records_recorddisposal",
    "records_recordrequest",
    "records_recordtransfer",
)
RULES += [FinalRows(table, KEPT_MESSAGE, delete_only=True) for table in KEPT_TABLES]

# Each migration that adds a rule installs it (with the rules frozen as they were then);
# on SQLite every rule here is re-created after each migrate.
ensure_sqlite_triggers = sqlite_reinstaller(RULES)
