"""GiST indexes on the ranges ``(previous_day, day]`` of daily workshop activity (PostgreSQL only): the period's
distinct workshop counts stab them at the period's first day (``reports.daily_figures.active_counts``)."""

from django.db import migrations

INDEXES = {
    "daily_activity_gap_gist": "previous_day",
    "daily_activity_product_gap_gist": "previous_product_day",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON reports_dailyactivity USING gist "
            f"(daterange({column}, day, '(]')) INCLUDE (day, province_id, product_id, is_woman_headed)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_daily_figures")]

    operations = [migrations.RunPython(create, drop)]
