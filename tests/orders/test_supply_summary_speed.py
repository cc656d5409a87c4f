"""The supply summary adds up in the database and on plain values: same numbers, queries independent of rows.

The reference below is the summary as it was first written (every capacity
loaded with ``workshop_loads`` for every workshop); the fast version must give
the same rows on a world with every case the arithmetic distinguishes.
"""

import datetime as dt
from collections import defaultdict
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Province
from production.models import QuotaStatus
from production.supply import supply_summary, workshop_loads
from workshops.calendar import FRIDAY, THURSDAY, mask_from_weekdays
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

from .. import factories

URL = reverse("supply:summary")
FRIDAY_2026 = dt.date(2026, 10, 2)  # the window is then Saturday 3rd to Friday 16th


def reference_summary(workshops, today):
    """(province, product, workshops, daily, window, committed, free) per row, the slow and obvious way."""
    verified = workshops.filter(status=WorkshopStatus.VERIFIED)
    loads = workshop_loads(verified, today)
    rows = defaultdict(lambda: [0, 0, 0, Fraction(0), Fraction(0)])
    for capacity in WorkshopCapacity.objects.filter(workshop__in=verified).select_related("workshop"):
        load = loads[capacity.workshop_id]
        row = rows[(capacity.workshop.province_id, capacity.product_id)]
        row[0] += 1
        row[1] += capacity.units_per_day
        row[2] += capacity.units_per_day * load.working_days
        row[3] += load.committed_units.get(capacity.product_id, Fraction(0))
        row[4] += load.free_days * capacity.units_per_day
    return sorted((key[0], key[1], row[0], row[1], row[2], round(row[3]), int(row[4])) for key, row in rows.items())


def as_tuples(rows):
    return sorted(
        (
            row.province.pk,
            row.product.pk,
            row.workshops,
            row.daily_capacity,
            row.window_capacity,
            row.committed,
            row.free,
        )
        for row in rows
    )


def quota(workshop, product, quantity, due_in, **kwargs):
    return factories.QuotaFactory(
        workshop=workshop,
        order__product=factories.product(product),
        quantity=quantity,
        due_date=FRIDAY_2026 + dt.timedelta(days=due_in),
        **kwargs,
    )


def build_world() -> None:
    """Idle, busy, overbooked, closed, short-week and pending workshops in Tehran and Fars."""
    gown, mask = factories.product("isolation-gown"), factories.product("surgical-mask-3ply")
    for province_code in ("tehran", "fars"):
        province = factories.province(province_code)

        def workshop(province=province, **kwargs):
            return factories.WorkshopFactory(province=province, **kwargs)

        # Idle, the usual week and a short one: summed by the database per weekday mask.
        for units in (30, 45):
            factories.WorkshopCapacityFactory(workshop=workshop(), product=gown, units_per_day=units)
        short_week = workshop(working_weekdays=mask_from_weekdays([0, 1, 2]))
        factories.WorkshopCapacityFactory(workshop=short_week, product=gown, units_per_day=17)
        factories.WorkshopCapacityFactory(workshop=short_week, product=mask, units_per_day=7)

        # Closed for part of the window; another closed only long before it (still idle).
        closed = workshop()
        factories.WorkshopCapacityFactory(workshop=closed, product=gown, units_per_day=11)
        WorkshopUnavailability.objects.create(
            workshop=closed, start_date=FRIDAY_2026 + dt.timedelta(days=3), end_date=FRIDAY_2026 + dt.timedelta(days=5)
        )
        closed_before = workshop()
        factories.WorkshopCapacityFactory(workshop=closed_before, product=gown, units_per_day=13)
        WorkshopUnavailability.objects.create(
            workshop=closed_before, start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 9)
        )

        # Busy: thirds of units that do not divide evenly, two products, a released remainder.
        busy = workshop(working_weekdays=mask_from_weekdays(day for day in range(7) if day not in (THURSDAY, FRIDAY)))
        factories.WorkshopCapacityFactory(workshop=busy, product=gown, units_per_day=7)
        quota(busy, "surgical-mask-3ply", 97, 19, capacity=9, produced_units=5)
        quota(busy, "isolation-gown", 50, 30, released_units=8, produced_units=1)
        quota(busy, "isolation-gown", 40, 8, status=QuotaStatus.OFFERED)
        quota(
            busy, "isolation-gown", 40, 8, status=QuotaStatus.DECLINED, decline_reason="پارچه نرسید"
        )  # no longer commits anything
        quota(busy, "isolation-gown", 40, -3)  # due before the window: not counted

        # Overbooked: free is 0, committed above capacity.
        overbooked = workshop()
        quota(overbooked, "isolation-gown", 5000, 10, capacity=10)

        # A quota for a product the workshop no longer declares: committed units but no days.
        undeclared = workshop()
        factories.WorkshopCapacityFactory(workshop=undeclared, product=gown, units_per_day=23)
        quota(undeclared, "surgical-mask-3ply", 120, 12, capacity=5)
        WorkshopCapacity.objects.filter(workshop=undeclared, product=mask).delete()

        # Closed and busy; and a quota whose days until due fall all in a closure (skipped).
        closed_busy = workshop()
        quota(closed_busy, "surgical-mask-3ply", 77, 25, capacity=19)
        WorkshopUnavailability.objects.create(
            workshop=closed_busy,
            start_date=FRIDAY_2026 + dt.timedelta(days=1),
            end_date=FRIDAY_2026 + dt.timedelta(days=4),
        )
        quota(closed_busy, "surgical-mask-3ply", 10, 3)

        # Pending: not counted at all.
        pending = workshop(status=WorkshopStatus.PENDING)
        quota(pending, "isolation-gown", 60, 9, capacity=100)


def test_summary_gives_the_rows_of_the_straightforward_computation(db):
    build_world()
    everywhere = Workshop.objects.all()
    expected = reference_summary(everywhere, FRIDAY_2026)
    assert len(expected) == 4  # two provinces × two products
    assert as_tuples(supply_summary(everywhere, today=FRIDAY_2026)) == expected
    tehran = Workshop.objects.filter(province__code="tehran")
    assert as_tuples(supply_summary(tehran, today=FRIDAY_2026)) == reference_summary(tehran, FRIDAY_2026)


def test_summary_rows_are_sorted_by_province_then_product_and_carry_their_objects(db):
    build_world()
    rows = supply_summary(Workshop.objects.all(), today=FRIDAY_2026)
    assert [(row.province.name_fa, row.product.code) for row in rows] == sorted(
        (row.province.name_fa, row.product.code) for row in rows
    )
    assert {type(row.province) for row in rows} == {Province}


def test_summary_of_no_workshop_is_empty(db):
    assert supply_summary(Workshop.objects.none(), today=FRIDAY_2026) == []


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_summary_page_query_count_does_not_grow_with_workshops(client_for, db, language):
    national = factories.CoordinatorFactory(is_superuser=True)  # sees both provinces
    client = client_for(national)
    client.cookies["hamdeli_language"] = language
    build_world()
    client.get(URL)  # warm caches (content types, sessions) outside the count
    few = count_queries(client)
    build_world()
    build_world()
    assert count_queries(client) == few
