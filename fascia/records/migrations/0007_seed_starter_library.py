"""Practices created before the starter self-care library was given at creation, and that never
opened a note (which used to seed it), get it now; no practice is seeded twice."""

from django.db import migrations


def seed(apps, schema_editor):
    from fascia.records.selfcare_library import STARTER

    Practice = apps.get_model("practices", "Practice")
    SelfCareExercise = apps.get_model("records", "SelfCareExercise")
    seeded = set(SelfCareExercise.objects.values_list("practice_id", flat=True).distinct())
    for practice in Practice.objects.exclude(pk__in=seeded):
        SelfCareExercise.objects.bulk_create(
            SelfCareExercise(
                practice=practice,
                name=name,
                kind=kind,
                instructions=instructions,
                illustration=illustration,
                sets=sets,
                reps=reps,
                hold_seconds=hold,
                how_often=often,
            )
            for name, kind, instructions, illustration, sets, reps, hold, often in STARTER
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0006_note_templates"), ("practices", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
