from django.db import migrations

from fascia.audit.final_rows import FinalRows, installer

# The rules as they were at this migration: invoices and referral notes are never deleted,
# except under the purge permit of a disposal after the retention period.
install = installer(
    [
        FinalRows("billing_invoice", "financial records are kept", delete_only=True),
        FinalRows("billing_invoiceline", "financial records are kept", delete_only=True),
        FinalRows("billing_referralnote", "client records are kept", delete_only=True),
    ]
)


class Migration(migrations.Migration):
    dependencies = [("billing", "0007_translatable_field_names")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
