from django.db import migrations

from fascia.billing.immutability import install


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
