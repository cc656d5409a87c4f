"""The coordinator dashboard's figures: what happened in a period, in the provinces she covers.

A period is a closed range of days ``[start, end]`` in Tehran time (default:
the 30 days ending today). Every figure below is a flow *within* the period,
so a figure for one period plus the next equals the figure for both.

Where a figure sits (the "province" and "product" of a row):

- **order side** (the health center's province, the order's product): demand,
  funded rials, releasable units, allocated, delivered, confirmed;
- **supply side** (the workshop's province, the quota's order's product):
  produced, accepted, workshops active, women-head-of-household workshops
  active, income paid. A Tehran workshop sewing for a Qom hospital counts its
  production in Tehran and the delivery in Qom.

The figures:

- **demand**: ``Order.quantity`` of orders created in the period, except
  cancelled ones.
- **funded rials**: money the ledger brought to orders in the period: entries
  *to* an order (received from a donor, applied from a campaign, moved in)
  minus entries *from* an order (moved out, refunded), by entry date. Payouts
  do not lower it (as in ``donors.ledger.selectors.order_applied_funds``).
- **releasable units**: what that money pays for. Per order,
  ``min(floor(funds up to the period's end / unit cost), quantity)`` minus the
  same at the day before the period; so the units money released in the
  period (negative when a refund took money away).
- **allocated**: units handed to workshops by quotas offered in the period,
  counted as the order counts them (``production.selectors.committed.committed_units_expression``:
  offered/accepted quotas their quantity less any released part, cancelled
  quotas what was produced, declined quotas nothing).
- **produced**: ``OutputReport.quantity`` with ``report_date`` in the period.
- **accepted**: ``PickupLine.accepted_units`` of pickups dated in the period.
- **delivered**: ``DeliveryLine.units`` of deliveries that left in the period:
  the day of ``dispatched_at``, or, when the receiver confirmed before anyone
  recorded the dispatch, of ``delivered_at``/``confirmed_at``
  (``left_on_expression``). A delivery that left can no longer be cancelled.
- **confirmed**: ``received − rejected`` of the lines of deliveries the
  receiver answered (confirmed or disputed) in the period (``confirmed_at``).
- **workshops active**: workshops with at least one output report in the period;
  **women-head-of-household workshops active**: those of them whose
  ``Workshop.is_woman_head_of_household`` is set.
- **income paid**: ``payout`` ledger entries to workshops dated in the period.

Where they are read from: every figure but the workshop counts adds up over
days, so the dashboard reads the sums of ``reports.models.DailyFigure`` (per
day in Tehran time, province and product) over the period's days; the
workshop counts are distinct counts over ``DailyActivity`` (per day, workshop
and product). Both are kept equal to a recomputation from the raw rows, the
one definition of each figure above (``reports.daily_figures``; kept up to
date by ``reports.daily_tracking``, checked by ``integrity_check``). Three
queries (plus the names), however long the period or large the world.
The headline is the total of the province rows (a workshop lies in one
province, so its distinct counts add up too). Product rows add up to the
headline too, except the workshop counts: a workshop that made two products
in the period is active under both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import Count, Q, QuerySet, Sum

from core.models import Product, Province

from .daily_figures import DAILY_FIGURES, first_in_period
from .daily_tracking import flush
from .models import DailyActivity, DailyFigure
from .periods import DashboardPeriod, day_range
from .selectors import in_scope

# --- Figures ------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """One row of the dashboard: the headline, one province or one product (see the module docstring)."""

    key: int | None = None
    name: str = ""
    demand_units: int = 0
    funded_rials: int = 0
    releasable_units: int = 0
    allocated_units: int = 0
    produced_units: int = 0
    accepted_units: int = 0
    delivered_units: int = 0
    confirmed_units: int = 0
    workshops_active: int = 0
    woman_headed_workshops_active: int = 0
    income_paid_rials: int = 0

    def add(self, other: Figures) -> None:
        for name in FIGURE_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _percent(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def funded_percent(self) -> int | None:
        """Releasable units as a share of demand (flows of the period: above 100 when older orders got money)."""
        return self._percent(self.releasable_units, self.demand_units)

    @property
    def delivered_percent(self) -> int | None:
        return self._percent(self.delivered_units, self.demand_units)

    @property
    def confirmed_percent(self) -> int | None:
        return self._percent(self.confirmed_units, self.demand_units)


FIGURE_NAMES = tuple(f.name for f in fields(Figures) if f.name not in ("key", "name"))


def _grouped(queryset: QuerySet, keys: tuple[str, ...], **aggregates) -> Iterable[tuple]:
    """``(*keys, *aggregates)`` per group, as plain tuples (no model instances, no dicts)."""
    return queryset.order_by().values(*keys).annotate(**aggregates).values_list(*keys, *aggregates)


class _Rows:
    """Province rows and product rows, filled side by side.

    Every source is read once, grouped by (province, product): sums add up
    along either key, so one grouped query feeds both tables.
    """

    def __init__(self) -> None:
        self.by_province: dict[int | None, Figures] = {}
        self.by_product: dict[int | None, Figures] = {}

    @staticmethod
    def row(rows: dict[int | None, Figures], key: int | None) -> Figures:
        row = rows.get(key)
        if row is None:
            row = rows[key] = Figures(key=key)
        return row

    def add(self, province_key: int | None, product_key: int | None, figures: dict[str, int]) -> None:
        for rows, key in ((self.by_province, province_key), (self.by_product, product_key)):
            row = self.row(rows, key)
            for figure, value in figures.items():
                setattr(row, figure, getattr(row, figure) + value)

    def collect(self, records: Iterable[tuple], *figures: str) -> None:
        """Add records ``(province, product, *aggregates)``, the aggregates in the order of ``figures``."""
        for province_key, product_key, *values in records:
            self.add(province_key, product_key, {f: int(v or 0) for f, v in zip(figures, values, strict=True)})


def _figure_rows(
    *, user, period: DashboardPeriod, province: Province | None
) -> tuple[dict[int | None, Figures], dict[int | None, Figures]]:
    """Rows by province and rows by product, from the stored daily figures: three queries whatever the period."""
    flush()  # the days this transaction changed, if any (see reports.daily_tracking)
    rows = _Rows()
    daily = in_scope(DailyFigure.objects.filter(**day_range("day", period)), user, "province", province)
    # The figures that add up over days, provinces and products (``DAILY_FIGURES``): sums of the stored rows.
    sums = {name: Sum(name) for name in DAILY_FIGURES}
    rows.collect(_grouped(daily, ("province", "product"), **sums), *DAILY_FIGURES)

    # A workshop lies in one province but may make several products: the distinct counts are taken per side,
    # each as a count of the rows that are a workshop's first in the period (``first_in_period``).
    activity = in_scope(DailyActivity.objects.all(), user, "province", province)
    counts = {"active": Count("pk"), "women": Count("pk", filter=Q(is_woman_headed=True))}
    for key, by_key in (("province", rows.by_province), ("product", rows.by_product)):
        for value, active, women in _grouped(first_in_period(activity, period, key), (key,), **counts):
            row = _Rows.row(by_key, value)
            row.workshops_active += active
            row.woman_headed_workshops_active += women
    return rows.by_province, rows.by_product


def _named(rows: dict[int | None, Figures], model) -> list[Figures]:
    names = {pk: str(obj) for pk, obj in model.objects.in_bulk([key for key in rows if key is not None]).items()}
    for key, row in rows.items():
        row.name = names.get(key, "—")
    return sorted(rows.values(), key=lambda row: row.name)


def figure_rows(
    *, user, period: DashboardPeriod, province: Province | None = None
) -> tuple[list[Figures], list[Figures]]:
    """``province_rows`` and ``product_rows`` together, for the price of one of them."""
    by_province, by_product = _figure_rows(user=user, period=period, province=province)
    return _named(by_province, Province), _named(by_product, Product)


def province_rows(*, user, period: DashboardPeriod, province: Province | None = None) -> list[Figures]:
    """One row per province with any figure in the period (the user's provinces only), by name."""
    return _named(_figure_rows(user=user, period=period, province=province)[0], Province)


def product_rows(*, user, period: DashboardPeriod, province: Province | None = None) -> list[Figures]:
    """One row per product with any figure in the period, in the user's provinces (or ``province``)."""
    return _named(_figure_rows(user=user, period=period, province=province)[1], Product)


def total_of(rows: Iterable[Figures]) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row)
    return total


def dashboard_figures(*, user, period: DashboardPeriod, province: Province | None = None) -> Figures:
    """The headline: the province rows added up."""
    by_province, _by_product = _figure_rows(user=user, period=period, province=province)
    return total_of(by_province.values())
