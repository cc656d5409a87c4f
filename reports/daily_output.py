"""A new output report counted in its own transaction: the evening peak's path of the daily figures.

After the 19:00 reminder every owner of a province reports within minutes. Recomputing a report's
(day, province, product) from the raw rows after each commit re-read that key's reports, a read that grows
through the evening, and serialised every report on the figures' one lock (bench/load.py: 31 reports a second
against 82 without it). A new report only adds its units, so it adds them: one upsert of the figure row and,
for the workshop's first report of the product that day, its activity row and the relinked chain of its
``previous_day`` (``reports.daily_figures``), all inside the report's transaction, so the report and its
figures commit together or not at all.

Against a recomputation of (day, province) keys or whole days (``refresh``, after other writes' commits) the
report takes the figures' advisory lock in shared mode: reports add side by side, and a recomputation, which
takes it exclusively, either runs before the report's transaction (and the report adds to its rows) or after
its commit (and reads the report), never across it. A per-workshop lock keeps two reports of one workshop
from relinking its chain at the same time. SQLite has no such locks and needs none: it lets one writer in at a
time.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from .daily_figures import ADVISORY_LOCK_KEY, DAILY_FIGURES, _relink
from .models import DailyActivity, DailyFigure

# The key space of the per-workshop locks (two 32-bit keys; PostgreSQL keeps it apart from the one-key space).
WORKSHOP_LOCK_CLASS = 0x4A4D


def add_output(*, day: dt.date, workshop: int, province: int, product: int, woman_headed: bool, units: int) -> None:
    """Count ``units`` of a new report in its (day, province, product) and the workshop's activity that day."""
    figures = DailyFigure._meta.db_table
    activity = DailyActivity._meta.db_table
    columns = ", ".join(DAILY_FIGURES)
    values = ", ".join("%s" for _ in DAILY_FIGURES)
    row = [units if name == "produced_units" else 0 for name in DAILY_FIGURES]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(%s, %s)",
                [ADVISORY_LOCK_KEY, WORKSHOP_LOCK_CLASS, workshop],
            )
        cursor.execute(  # table and column names are the models' own; every value is a parameter
            f"""INSERT INTO {figures} (day, province_id, product_id, {columns}) VALUES (%s, %s, %s, {values})
            ON CONFLICT (day, province_id, product_id)
            DO UPDATE SET produced_units = {figures}.produced_units + excluded.produced_units""",  # noqa: S608
            [day, province, product, *row],
        )
        cursor.execute(
            f"""INSERT INTO {activity} (day, workshop_id, product_id, province_id, is_woman_headed)
            VALUES (%s, %s, %s, %s, %s) ON CONFLICT (day, workshop_id, product_id) DO NOTHING""",  # noqa: S608
            [day, workshop, product, province, woman_headed],
        )
        first_of_the_day = cursor.rowcount == 1
    if first_of_the_day:
        _relink([workshop])
