"""The database refuses double bookings, whatever code path writes: a therapist and a room can
each be in one occupying appointment at a time (buffers included), and a client in one
treatment at a time. PostgreSQL: exclusion constraints over time ranges (btree_gist). SQLite:
triggers with the same names; with IMMEDIATE transactions, check-then-insert is serialised."""

from django.db import migrations

OCCUPYING = "('booked', 'arrived', 'completed')"

# (rule name, column that must not be shared, start column, end column, extra condition)
RULES = [
    ("appointment_therapist_no_overlap", "therapist_id", "busy_from", "busy_until", ""),
    ("appointment_room_no_overlap", "room_id", "busy_from", "busy_until", "room_id IS NOT NULL"),
    ("appointment_client_no_overlap", "client_id", "starts_at", "ends_at", ""),
]
TABLE = "scheduling_appointment"


def postgres_forward():
    yield "CREATE EXTENSION IF NOT EXISTS btree_gist"
    for name, column, start, end, extra in RULES:
        condition = f"status IN {OCCUPYING}" + (f" AND {extra}" if extra else "")
        yield (
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange({start}, {end}, '[)') WITH &&) WHERE ({condition})"
        )


def postgres_backward():
    for name, *_ in RULES:
        yield f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {name}"


def sqlite_forward():
    # Django stores UTC datetimes as 'YYYY-MM-DD HH:MM:SS[.ffffff]' text, which orders
    # correctly as text.
    for name, column, start, end, _ in RULES:
        for event, same_row in (("INSERT", ""), ("UPDATE", " AND a.id <> NEW.id")):
            yield f"""
            CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {TABLE}
            WHEN NEW.status IN {OCCUPYING} AND NEW.{column} IS NOT NULL
            BEGIN
                SELECT RAISE(ABORT, '{name}') WHERE EXISTS (
                    SELECT 1 FROM {TABLE} a
                    WHERE a.{column} = NEW.{column} AND a.status IN {OCCUPYING}
                      AND a.{start} < NEW.{end} AND NEW.{start} < a.{end}{same_row}
                );
            END"""


def sqlite_backward():
    for name, *_ in RULES:
        for event in ("insert", "update"):
            yield f"DROP TRIGGER IF EXISTS {name}_{event}"


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        for statement in statements() if statements else ():
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": postgres_forward, "sqlite": sqlite_forward}),
            run({"postgresql": postgres_backward, "sqlite": sqlite_backward}),
        )
    ]
