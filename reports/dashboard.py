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

Queries: each source is read once, grouped by (province, product), and feeds
both tables (money per order, output per quota, then added up in Python);
none is repeated per row, so the number of queries does not grow with the
number of workshops, orders or reports. Periods are bounds on the date-time
columns themselves (``moment_range``), so PostgreSQL can estimate them.
The headline is the total of the province rows (a workshop lies in one
province, so its distinct counts add up too). Product rows add up to the
headline too, except the workshop counts: a workshop that made two products
in the period is active under both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import F, Q, QuerySet, Sum

from core.models import Product, Province
from donors.ledger.selectors import ORDER_INFLOW_KINDS, ORDER_OUTFLOW_KINDS
from donors.models import LedgerEntry
from fulfilment.models import DeliveryLine
from production.models import OutputReport, Quota
from production.selectors.committed import committed_units_expression

from .periods import DashboardPeriod, day_range, midnight, moment_range
from .selectors import answered_in, demand_orders, in_scope, left_in, payouts_in, pickup_lines_in

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
    """Rows by province and rows by product: one grouped query per source (plus the two for the money)."""
    rows = _Rows()

    # Order side.
    orders = demand_orders(user, period, province)
    rows.collect(_grouped(orders, ("health_center__province", "product"), demand=Sum("quantity")), "demand_units")

    quotas = in_scope(
        Quota.objects.filter(moment_range("offered_at", period)), user, "order__health_center__province", province
    )
    keys = ("order__health_center__province", "order__product")
    rows.collect(_grouped(quotas, keys, allocated=Sum(committed_units_expression())), "allocated_units")

    # Delivered and confirmed in one pass over the lines: each sum keeps to its own lines.
    lines = in_scope(DeliveryLine.objects.all(), user, "delivery__health_center__province", province)
    left_in_period = left_in(period)
    answered_in_period = answered_in(period)
    lines = lines.filter(left_in_period | answered_in_period)
    keys = ("delivery__health_center__province", "quota__order__product")
    delivered = Sum("units", filter=left_in_period)
    confirmed = Sum(F("received_units") - F("rejected_units"), filter=answered_in_period)
    rows.collect(_grouped(lines, keys, delivered=delivered, confirmed=confirmed), "delivered_units", "confirmed_units")

    _collect_funding(rows, user=user, period=period, province=province)

    # Supply side.
    _collect_production(rows, user=user, period=period, province=province)

    pickups = pickup_lines_in(user, period, province)
    keys = ("pickup__workshop__province", "quota__order__product")
    rows.collect(_grouped(pickups, keys, accepted=Sum("accepted_units")), "accepted_units")

    payouts = payouts_in(user, period, province)
    keys = ("to_workshop__province", "quota__order__product")
    rows.collect(_grouped(payouts, keys, paid=Sum("amount_rials")), "income_paid_rials")
    return rows.by_province, rows.by_product


def _collect_production(rows: _Rows, *, user, period: DashboardPeriod, province: Province | None) -> None:
    """Produced units and active workshops: the period's output per quota, joined to the quotas in Python.

    Two cheap queries instead of grouped joins: grouping the period's reports
    by quota needs no join (the period holds about as many reports as the
    whole output table of a month), while joining every report to its
    quota, workshop and order before grouping costs several times more. The
    workshops are counted in Python from the per-quota rows: a workshop lies
    in one province but may make several products, so per-province distinct
    counts cannot be summed from per-(province, product) ones.
    """
    reports = in_scope(
        OutputReport.objects.filter(**day_range("report_date", period)), user, "quota__workshop__province", province
    )
    produced_by_quota = dict(_grouped(reports, ("quota",), produced=Sum("quantity")))
    if not produced_by_quota:
        return
    quotas = in_scope(Quota.objects.all(), user, "workshop__province", province).values_list(
        "pk", "workshop__province", "order__product", "workshop", "workshop__is_woman_head_of_household"
    )
    produced: dict[tuple, int] = {}
    active: dict[str, dict[int | None, set[int]]] = {"province": {}, "product": {}}
    woman_headed: dict[str, dict[int | None, set[int]]] = {"province": {}, "product": {}}
    for quota_id, province_key, product_key, workshop, is_woman_headed in quotas.order_by():
        units = produced_by_quota.get(quota_id)
        if units is None:
            continue
        produced[province_key, product_key] = produced.get((province_key, product_key), 0) + int(units)
        for side, key in (("province", province_key), ("product", product_key)):
            active[side].setdefault(key, set()).add(workshop)
            if is_woman_headed:
                woman_headed[side].setdefault(key, set()).add(workshop)
    for (province_key, product_key), units in produced.items():
        rows.add(province_key, product_key, {"produced_units": units})
    for side, by_key in (("province", rows.by_province), ("product", rows.by_product)):
        for key, workshops in active[side].items():
            row = by_key[key]
            row.workshops_active += len(workshops)
            row.woman_headed_workshops_active += len(woman_headed[side].get(key, ()))


def _order_funds(queryset: QuerySet, side: str, period: DashboardPeriod) -> Iterable[tuple]:
    """Per order on ``side`` of the entries: the order, its province, product, unit cost, quantity,
    and the money before and through the period."""
    return (
        queryset.filter(created_at__lt=midnight(period.end + dt.timedelta(days=1)))
        .order_by()
        .values(side)
        .annotate(
            before=Sum("amount_rials", filter=Q(created_at__lt=midnight(period.start))),
            through=Sum("amount_rials"),
        )
        .values_list(
            side,
            f"{side}__health_center__province",
            f"{side}__product",
            f"{side}__unit_cost_rials",
            f"{side}__quantity",
            "before",
            "through",
        )
    )


def _collect_funding(rows: _Rows, *, user, period: DashboardPeriod, province: Province | None) -> None:
    """Funded rials and releasable units: per order from the ledger (two queries), then added up by row key."""
    # order id -> [province, product, unit cost, quantity, money before, money through]
    orders: dict[int, list] = {}
    for side, kinds, sign in (("to_order", ORDER_INFLOW_KINDS, 1), ("from_order", ORDER_OUTFLOW_KINDS, -1)):
        entries = in_scope(
            LedgerEntry.objects.filter(kind__in=kinds, **{f"{side}__isnull": False}),
            user,
            f"{side}__health_center__province",
            province,
        )
        for order_id, province_key, product_key, unit_cost, quantity, before, through in _order_funds(
            entries, side, period
        ):
            order = orders.get(order_id)
            if order is None:
                order = orders[order_id] = [province_key, product_key, unit_cost, quantity, 0, 0]
            order[4] += sign * int(before or 0)
            order[5] += sign * int(through or 0)
    for province_key, product_key, unit_cost, quantity, before, through in orders.values():
        released = _units_paid_for(through, unit_cost, quantity) - _units_paid_for(before, unit_cost, quantity)
        rows.add(province_key, product_key, {"funded_rials": through - before, "releasable_units": released})


def _units_paid_for(rials: int, unit_cost: int, quantity: int) -> int:
    if not unit_cost:
        return 0
    return min(max(rials, 0) // unit_cost, quantity)


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
