from django.db import migrations

from fascia.audit.final_rows import FinalRows, installer

# The rules as they were at this migration (a later rule comes with its own migration).
MESSAGE = "signed clinical records are final"
install = installer(
    [
        FinalRows(
            "records_treatmentnote",
            MESSAGE,
            sqlite_condition="OLD.signed_at IS NOT NULL",
            postgres_condition="OLD.signed_at IS NOT NULL",
        ),
        FinalRows("records_healthhistory", MESSAGE),
        FinalRows("records_noteamendment", MESSAGE),
    ]
)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
