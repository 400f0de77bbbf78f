from django.db import migrations

from fascia.audit.final_rows import FinalRows, installer

# The rules as they were at this migration (a later rule comes with its own migration): the
# rows of a client's record are never deleted, except under the purge permit of a disposal.
MESSAGE = "client records are kept for the retention period"
TABLES = (
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
)
install = installer([FinalRows(table, MESSAGE, delete_only=True) for table in TABLES])


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0010_retention"),
        ("clients", "0005_translatable_field_names"),
        ("scheduling", "0010_appointment_confirmed_at"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
