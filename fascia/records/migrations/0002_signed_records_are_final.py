from django.db import migrations

from fascia.records.immutability import install


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
