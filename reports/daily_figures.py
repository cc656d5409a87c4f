"""The daily figures as stored: ``refresh`` puts a recomputation (``reports.daily_recompute``) in place of the
keys' rows (``reports.models.DailyFigure`` / ``DailyActivity``), ``rebuild`` does so for every day and province
(``manage.py rebuild_daily_figures``) and ``integrity_problems`` compares what is stored with a recomputation of
everything (``manage.py integrity_check``).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.models import Product, Province
from production.models import OutputReport

from .daily_recompute import (
    DAILY_FIGURES,
    Activity,
    Collector,
    Days,
    Key,
    Provinces,
    collect_output,
    in_provinces,
    recompute,
)
from .models import DailyActivity, DailyFigure
from .periods import DashboardPeriod

# Serialises recomputations on PostgreSQL: two transactions' after-commit refreshes of one day must not interleave
# their delete and insert (the later one then reads everything both committed).
ADVISORY_LOCK_KEY = 0x4A4D_4446  # "JMDF"
INSERT_BATCH = 5000


# --- Stored -------------------------------------------------------------------------------------------------


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


@transaction.atomic
def refresh(days: Days, provinces: Provinces = None) -> int:
    """Replace the stored rows of the keys ``days × provinces`` (None: every province) by their recomputation;
    returns the figure rows written. The rows of other provinces are not touched."""
    _lock()
    figures, activity = recompute(days, provinces)
    DailyFigure.objects.filter(days.on_date("day"), in_provinces("province", provinces)).delete()
    DailyFigure.objects.bulk_create(
        (
            DailyFigure(day=day, province_id=province, product_id=product, **values)
            for (day, province, product), values in figures.items()
        ),
        batch_size=INSERT_BATCH,
    )
    _store_activity(days, activity, None if provinces is None else in_provinces("province", provinces))
    return len(figures)


@transaction.atomic
def refresh_output(day: dt.date, province: int | None, product: int | None) -> None:
    """Only the produced units and activity of one (day, workshop's province, product): what a new output report
    changes. The evening peak's path: one report's commit reads the few reports of its key, not the whole day."""
    _lock()
    out = Collector()
    reports = OutputReport.objects.filter(
        report_date=day, quota__workshop__province=province, quota__order__product=product
    )
    collect_output(out, reports)
    key = (day, province, product)
    produced = out.figures.get(key, {}).get("produced_units", 0)
    updated = DailyFigure.objects.filter(day=day, province=province, product=product).update(produced_units=produced)
    if not updated and key in out.figures:
        DailyFigure.objects.create(day=day, province_id=province, product_id=product, produced_units=produced)
    _store_activity(Days.of([day]), out.activity, Q(province=province, product=product))


def _store_activity(days: Days, activity: set[Activity], scope: Q | None = None) -> None:
    """Only the rows that changed: a day's recomputation usually changes one workshop's row, and every row added
    or removed changes the chain of ``previous_day`` of its workshop, which is then relinked."""
    stored = {
        (day, workshop, product): (province, woman, pk)
        for pk, day, workshop, product, province, woman in DailyActivity.objects.filter(days.on_date("day"))
        .filter(scope or Q())
        .order_by()
        .values_list("pk", "day", "workshop", "product", "province", "is_woman_headed")
    }
    wanted = {(day, workshop, product): (province, woman) for day, workshop, product, province, woman in activity}
    missing = wanted.keys() - stored.keys()
    if scope is not None and missing:
        # A workshop's row of a day is one whatever its province: one stored under another province (the workshop
        # moved here since) is stale and moved here, not added twice.
        workshops = sorted({key[1] for key in missing})
        for start in range(0, len(workshops), INSERT_BATCH):
            elsewhere = DailyActivity.objects.filter(
                days.on_date("day"), workshop__in=workshops[start : start + INSERT_BATCH]
            )
            for pk, day, workshop, product, province, woman in elsewhere.order_by().values_list(
                "pk", "day", "workshop", "product", "province", "is_woman_headed"
            ):
                if (day, workshop, product) in missing:
                    stored[day, workshop, product] = (province, woman, pk)
    removed = [stored[key][2] for key in stored.keys() - wanted.keys()]
    added = wanted.keys() - stored.keys()
    for start in range(0, len(removed), INSERT_BATCH):
        DailyActivity.objects.filter(pk__in=removed[start : start + INSERT_BATCH]).delete()
    for key in wanted.keys() & stored.keys():
        (province, woman), (old_province, old_woman, pk) = wanted[key], stored[key]
        if (province, woman) != (old_province, old_woman):  # the workshop moved or its flag changed
            DailyActivity.objects.filter(pk=pk).update(province_id=province, is_woman_headed=woman)
    DailyActivity.objects.bulk_create(
        (
            DailyActivity(
                day=day,
                workshop_id=workshop,
                product_id=product,
                province_id=wanted[key][0],
                is_woman_headed=wanted[key][1],
            )
            for key in added
            for day, workshop, product in [key]
        ),
        batch_size=INSERT_BATCH,
    )
    everything = days.days is None and days.since is None
    workshops = sorted({key[1] for key in added} | {key[1] for key in stored.keys() - wanted.keys()})
    if everything:
        _relink(None)
    else:
        for start in range(0, len(workshops), INSERT_BATCH):
            _relink(workshops[start : start + INSERT_BATCH])


def _relink(workshops: list[int] | None) -> None:
    """Set ``previous_day`` / ``previous_product_day`` of the workshops' rows (None: every row) from their order."""
    if workshops == []:
        return
    table = DailyActivity._meta.db_table
    where, params = "", []
    if workshops is not None:
        where = f"WHERE workshop_id IN ({', '.join(['%s'] * len(workshops))})"
        params = list(workshops)
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    with connection.cursor() as cursor:
        cursor.execute(  # only the table's name, placeholders and a vendor's keyword are put in the text
            f"""
            UPDATE {table} AS a SET previous_day = x.previous_any, previous_product_day = x.previous_product
            FROM (
                SELECT id,
                    LAG(day) OVER (PARTITION BY workshop_id ORDER BY day, product_id) AS previous_any,
                    LAG(day) OVER (PARTITION BY workshop_id, product_id ORDER BY day) AS previous_product
                FROM {table} {where}
            ) AS x
            WHERE a.id = x.id
                AND (a.previous_day {differs} x.previous_any OR a.previous_product_day {differs} x.previous_product)
            """,  # noqa: S608
            params,
        )


def first_in_period(queryset: QuerySet, period: DashboardPeriod, side: str) -> QuerySet:
    """The activity rows that are a workshop's first in the period (``side`` "province": its first row of any
    product; "product": its first of each product), one per distinct workshop (and product) active in it.

    On PostgreSQL the rows with ``previous < start <= day`` are found through the GiST index on the range
    ``(previous, day]`` (migration 0005), not by reading every row of the period.
    """
    column = "previous_day" if side == "province" else "previous_product_day"
    queryset = queryset.filter(day__lte=period.end)
    if connection.vendor == "postgresql":
        table = DailyActivity._meta.db_table
        stab = RawSQL(  # noqa: S611 (constant names; the date is a parameter)
            f"""daterange("{table}"."{column}", "{table}"."day", '(]') @> %s::date""",
            [period.start],
            output_field=BooleanField(),
        )
        return queryset.filter(stab)
    before = Q(**{f"{column}__isnull": True}) | Q(**{f"{column}__lt": period.start})
    return queryset.filter(before, day__gte=period.start)


def rebuild(since: dt.date | None = None) -> int:
    """Recompute every stored day (from ``since``); what ``manage.py rebuild_daily_figures`` runs."""
    return refresh(Days(since=since))


def _stored() -> tuple[dict[Key, tuple], set[Activity]]:
    figures = {
        (day, province, product): tuple(values)
        for day, province, product, *values in DailyFigure.objects.values_list(
            "day", "province", "product", *DAILY_FIGURES
        )
    }
    activity = set(
        DailyActivity.objects.values_list("day", "workshop", "product", "province", "is_woman_headed").iterator()
    )
    return figures, activity


def _link_problems() -> list[str]:
    """Rows whose ``previous_day`` / ``previous_product_day`` is not what their workshop's rows say (a wrong link
    counts a workshop twice in a period, or not at all)."""
    rows = DailyActivity.objects.order_by().values_list(
        "workshop", "day", "product", "previous_day", "previous_product_day"
    )
    last = 2**63
    problems = []
    previous: dict[int, dt.date] = {}
    previous_product: dict[tuple, dt.date] = {}
    ordered = sorted(rows.iterator(chunk_size=INSERT_BATCH), key=lambda r: (r[0], r[1], last if r[2] is None else r[2]))
    for workshop, day, product, previous_day, previous_product_day in ordered:
        want = (previous.get(workshop), previous_product.get((workshop, product)))
        if (previous_day, previous_product_day) != want:
            problems.append(
                f"The workshop activity of {day}, workshop #{workshop}: previous days {previous_day}, "
                f"{previous_product_day} where its rows give {want[0]}, {want[1]}."
            )
        previous[workshop], previous_product[workshop, product] = day, day
    return problems


def integrity_problems(limit: int = 20) -> list[str]:
    """Stored daily figures that differ from a recomputation from the raw rows, as readable sentences."""
    from .daily_tracking import flush

    flush()  # what this transaction changed is stored first (it would be after the commit)
    figures, activity = recompute(Days())
    expected = {key: tuple(values[name] for name in DAILY_FIGURES) for key, values in figures.items()}
    stored, stored_activity = _stored()
    zero = (0,) * len(DAILY_FIGURES)
    problems = []
    provinces = {pk: str(p) for pk, p in Province.objects.in_bulk().items()}
    products = {pk: str(p) for pk, p in Product.objects.in_bulk().items()}
    for key in sorted(set(expected) | set(stored), key=lambda k: (k[0], k[1] or 0, k[2] or 0)):
        want, have = expected.get(key), stored.get(key)
        if want == have:
            continue
        day, province, product = key
        where = f"daily figures of {day}, {provinces.get(province, '—')}, {products.get(product, '—')}"
        if have is None:
            problems.append(f"The {where} are missing.")
            continue
        if want is None:
            problems.append(f"The {where} are stored but no raw row falls there.")
            continue
        for name, stored_value, value in zip(DAILY_FIGURES, have or zero, want or zero, strict=True):
            if stored_value != value:
                problems.append(f"The {where}: {name} is {stored_value:,}, the raw rows give {value:,}.")
    for row in sorted(activity ^ stored_activity, key=lambda r: (r[0], r[1], r[2] or 0)):
        state = "missing" if row in activity else "stored but not in the raw rows"
        problems.append(f"The workshop activity of {row[0]}, workshop #{row[1]}, {products.get(row[2], '—')}: {state}.")
    problems += _link_problems()
    if len(problems) > limit:
        more = len(problems) - limit
        problems = [*problems[:limit], f"... and {more:,} more daily figure problem(s)."]
    if problems:
        problems[-1] += " (manage.py rebuild_daily_figures recomputes the daily figures from the raw rows.)"
    return problems
