from django.db import migrations

from fascia.audit.final_rows import FinalRows, installer

# The rules as they were at this migration (later migrations add their own).
install = installer(
    [
        FinalRows("billing_receipt", "issued receipts never change"),
        FinalRows("billing_receiptcancellation", "issued receipts never change"),
        FinalRows("billing_payment", "recorded payments never change; record a refund"),
    ]
)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
