"""The database itself refuses to change or delete audit entries, so no code path (a raw
query, a bulk update, a shell session) can rewrite who accessed a health record. The only way
past is the explicit per-connection permit in fascia/audit/purge.py."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
    """CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN fascia_audit_purge_permitted() = 0
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete;",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_auditentry_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF TG_OP <> 'UPDATE'
            AND coalesce(current_setting('fascia.audit_purge', true), '') = 'on' THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'audit entries are append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_auditentry_append_only
       BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_refuse_change();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_auditentry_refuse_change();",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
