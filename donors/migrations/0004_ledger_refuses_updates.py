"""Database-level guard of the append-only ledger: an UPDATE of a ledger row is refused by a trigger.

DELETE is refused by the model and its queryset, not by the database: test
runners and maintenance flush tables with DELETE (SQLite) or TRUNCATE.
"""

from django.db import migrations

MESSAGE = "ledger entries are append-only"

SQL = {
    "sqlite": (
        [
            "CREATE TRIGGER donors_ledgerentry_no_update BEFORE UPDATE ON donors_ledgerentry "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        ],
        ["DROP TRIGGER IF EXISTS donors_ledgerentry_no_update;"],
    ),
    "postgresql": (
        [
            "CREATE OR REPLACE FUNCTION donors_ledgerentry_refuse_update() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;",
            "CREATE TRIGGER donors_ledgerentry_no_update BEFORE UPDATE ON donors_ledgerentry "
            "FOR EACH ROW EXECUTE FUNCTION donors_ledgerentry_refuse_update();",
        ],
        [
            "DROP TRIGGER IF EXISTS donors_ledgerentry_no_update ON donors_ledgerentry;",
            "DROP FUNCTION IF EXISTS donors_ledgerentry_refuse_update();",
        ],
    ),
}


def _run(apps, schema_editor, index):
    for statement in SQL.get(schema_editor.connection.vendor, ([], []))[index]:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(apps, schema_editor, 0)


def backwards(apps, schema_editor):
    _run(apps, schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("donors", "0003_campaign_ledger")]

    operations = [migrations.RunPython(forwards, backwards)]
