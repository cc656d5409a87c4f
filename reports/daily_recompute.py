"""The dashboard's figures per day, province and product, recomputed from the raw rows: the one definition.

``recompute(days, provinces)`` reads the raw rows of the given days (orders,
quotas, output reports, pickups, deliveries, the ledger) exactly as the module
docstring of ``reports.dashboard`` defines each figure, grouped by (day in
Tehran time, province, product), and the (day, workshop, product) rows of
workshop activity. ``provinces`` (None: every province) narrows each figure to
the rows whose province *path*, the one that figure is grouped by (the health
center's for the order side, the workshop's for the supply side), is one of
them: the figures of exactly the keys ``days × provinces``. Storing them is
``reports.daily_figures``'s.

Releasable units are additive over days because, per order, the units its
money pays for telescope: ``paid_for(money through d) − paid_for(money
through d−1)`` summed over a period's days is the period's figure. So a day's
releasable units need the order's money before that day: the ledger of every
order with money moving on the recomputed days is read back to its first entry.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from donors.ledger.selectors import ORDER_INFLOW_KINDS, ORDER_OUTFLOW_KINDS
from donors.models import EntryKind, LedgerEntry
from fulfilment.models import DeliveryLine, PickupLine
from orders.models import Order, OrderStatus
from production.models import OutputReport, Quota
from production.selectors.committed import committed_units_expression

from .periods import DashboardPeriod, midnight, moment_range
from .selectors import ANSWERED_DELIVERY_STATUSES, left_in, left_on_expression

# The stored figures: the additive ones of ``reports.dashboard.Figures``.
DAILY_FIGURES = (
    "demand_units",
    "funded_rials",
    "releasable_units",
    "allocated_units",
    "produced_units",
    "accepted_units",
    "delivered_units",
    "confirmed_units",
    "income_paid_rials",
)

Key = tuple  # (day, province id, product id)
Activity = tuple  # (day, workshop id, product id, province id, is woman-headed)
# Province ids (None among them: rows without a province); None instead of a set: every province.
Provinces = frozenset | None


@dataclass(frozen=True)
class Days:
    """The days to recompute: ``days`` (sorted), or with ``days`` None every day from ``since`` (None: all)."""

    days: tuple[dt.date, ...] | None = None
    since: dt.date | None = None

    @classmethod
    def of(cls, days: Iterable[dt.date]) -> Days:
        return cls(days=tuple(sorted(set(days))))

    def __contains__(self, day: dt.date) -> bool:
        if self.days is not None:
            return day in self.days
        return self.since is None or day >= self.since

    def runs(self) -> Iterator[DashboardPeriod]:
        """The days as runs of consecutive days."""
        for _, group in itertools.groupby(enumerate(self.days or ()), lambda item: item[1].toordinal() - item[0]):
            group = [day for _, day in group]
            yield DashboardPeriod(group[0], group[-1])

    def on_date(self, path: str) -> Q:
        if self.days is None:
            return Q(**{f"{path}__gte": self.since}) if self.since else Q()
        return Q(**{f"{path}__in": self.days})

    def on_moment(self, path: str) -> Q:
        """``path`` (a date-time) on one of the days, as bounds on the column (``moment_range``)."""
        if self.days is None:
            return Q(**{f"{path}__gte": midnight(self.since)}) if self.since else Q()
        return _any(moment_range(path, run) for run in self.runs())

    def left(self) -> Q:
        """Delivery lines whose delivery left on one of the days (``reports.selectors.left_in``)."""
        if self.days is None:
            if self.since is None:
                return Q()  # lines that never left have no day and are skipped
            start = midnight(self.since)
            dispatched, delivered, confirmed = (
                f"delivery__{name}" for name in ("dispatched_at", "delivered_at", "confirmed_at")
            )
            return (
                Q(**{f"{dispatched}__gte": start})
                | Q(**{f"{dispatched}__isnull": True, f"{delivered}__gte": start})
                | Q(**{f"{dispatched}__isnull": True, f"{delivered}__isnull": True, f"{confirmed}__gte": start})
            )
        return _any(left_in(run) for run in self.runs())


def _any(conditions: Iterable[Q]) -> Q:
    result = Q(pk__in=[])
    for condition in conditions:
        result |= condition
    return result


def in_provinces(path: str, provinces: Provinces) -> Q:
    """Rows whose ``path`` (a province) is one of ``provinces``; every row for None."""
    if provinces is None:
        return Q()
    condition = Q(**{f"{path}__in": sorted(province for province in provinces if province is not None)})
    if None in provinces:
        condition |= Q(**{f"{path}__isnull": True})
    return condition


def _grouped(queryset: QuerySet, keys: tuple[str, ...], **aggregates) -> Iterable[tuple]:
    return queryset.order_by().values(*keys).annotate(**aggregates).values_list(*keys, *aggregates)


class Collector:
    def __init__(self) -> None:
        self.figures: dict[Key, dict[str, int]] = {}
        self.activity: set[Activity] = set()

    def add(self, key: Key, **figures: int | None) -> None:
        row = self.figures.get(key)
        if row is None:
            row = self.figures[key] = dict.fromkeys(DAILY_FIGURES, 0)
        for name, value in figures.items():
            row[name] += int(value or 0)

    def collect(self, records: Iterable[tuple], *names: str) -> None:
        """Records ``(day, province, product, *values)``, the values in the order of ``names``."""
        for day, province, product, *values in records:
            if day is None:  # a delivery line that has not left
                continue
            self.add((day, province, product), **dict(zip(names, values, strict=True)))


def recompute(days: Days, provinces: Provinces = None) -> tuple[dict[Key, dict[str, int]], set[Activity]]:
    """The figures and activity rows of ``days`` (and ``provinces``: None, all), from the raw rows (see
    ``reports.dashboard`` for each figure). Each query is narrowed on the province path it groups by, so every key
    it returns is one of ``days × provinces``."""
    out = Collector()
    if days.days == () or provinces == frozenset():
        return out.figures, out.activity

    # Order side.
    orders = Order.objects.exclude(status=OrderStatus.CANCELLED).filter(days.on_moment("created_at"))
    orders = orders.filter(in_provinces("health_center__province", provinces)).annotate(day=TruncDate("created_at"))
    out.collect(_grouped(orders, ("day", "health_center__province", "product"), v=Sum("quantity")), "demand_units")

    quotas = Quota.objects.filter(
        days.on_moment("offered_at"), in_provinces("order__health_center__province", provinces)
    )
    keys = ("day", "order__health_center__province", "order__product")
    out.collect(
        _grouped(quotas.annotate(day=TruncDate("offered_at")), keys, v=Sum(committed_units_expression())),
        "allocated_units",
    )

    lines = DeliveryLine.objects.filter(in_provinces("delivery__health_center__province", provinces))
    left = lines.filter(days.left()).annotate(day=left_on_expression())
    keys = ("day", "delivery__health_center__province", "quota__order__product")
    out.collect(_grouped(left, keys, v=Sum("units")), "delivered_units")
    answered = lines.filter(
        days.on_moment("delivery__confirmed_at"), delivery__status__in=ANSWERED_DELIVERY_STATUSES
    ).annotate(day=TruncDate("delivery__confirmed_at"))
    confirmed = Sum(F("received_units") - F("rejected_units"))
    out.collect(_grouped(answered, keys, v=confirmed), "confirmed_units")

    _collect_funding(out, days, provinces)

    # Supply side.
    reports = OutputReport.objects.filter(days.on_date("report_date"))
    collect_output(out, reports.filter(in_provinces("quota__workshop__province", provinces)))

    pickups = PickupLine.objects.filter(days.on_date("pickup__pickup_date"))
    pickups = pickups.filter(in_provinces("pickup__workshop__province", provinces))
    keys = ("pickup__pickup_date", "pickup__workshop__province", "quota__order__product")
    out.collect(_grouped(pickups, keys, v=Sum("accepted_units")), "accepted_units")

    payouts = LedgerEntry.objects.filter(days.on_moment("created_at"), kind=EntryKind.PAYOUT)
    payouts = payouts.filter(in_provinces("to_workshop__province", provinces)).annotate(day=TruncDate("created_at"))
    keys = ("day", "to_workshop__province", "quota__order__product")
    out.collect(_grouped(payouts, keys, v=Sum("amount_rials")), "income_paid_rials")
    return out.figures, out.activity


def collect_output(out: Collector, reports: QuerySet) -> None:
    """Produced units and the activity rows of ``reports``."""
    keys = (
        "report_date",
        "quota__workshop__province",
        "quota__order__product",
        "quota__workshop",
        "quota__workshop__is_woman_head_of_household",
    )
    for day, province, product, workshop, is_woman_headed, produced in _grouped(reports, keys, v=Sum("quantity")):
        out.add((day, province, product), produced_units=produced)
        out.activity.add((day, workshop, product, province, bool(is_woman_headed)))


def _collect_funding(out: Collector, days: Days, provinces: Provinces = None) -> None:
    """Funded rials and releasable units per order and day (see the module docstring), of the orders whose health
    center is in ``provinces``."""
    entries = LedgerEntry.objects.filter(
        Q(kind__in=ORDER_INFLOW_KINDS, to_order__isnull=False)
        | Q(kind__in=ORDER_OUTFLOW_KINDS, from_order__isnull=False)
    )
    orders = None
    if days.days is not None or days.since is not None:
        touched = entries.filter(days.on_moment("created_at")).order_by()
        if provinces is None:
            orders = {pk for pair in touched.values_list("to_order", "from_order") for pk in pair if pk is not None}
        else:  # only the orders of these provinces: their whole ledger is read below
            sides = (
                "to_order",
                "to_order__health_center__province",
                "from_order",
                "from_order__health_center__province",
            )
            orders = {
                pk
                for to_order, to_province, from_order, from_province in touched.values_list(*sides)
                for pk, province in ((to_order, to_province), (from_order, from_province))
                if pk is not None and province in provinces
            }
        if not orders:
            return
    # order id -> [province, product, unit cost, quantity, {day: money}]
    money: dict[int, list] = {}
    for side, kinds, sign in (("to_order", ORDER_INFLOW_KINDS, 1), ("from_order", ORDER_OUTFLOW_KINDS, -1)):
        queryset = LedgerEntry.objects.filter(kind__in=kinds, **{f"{side}__isnull": False})
        if orders is not None:  # of the provinces already
            queryset = queryset.filter(**{f"{side}__in": orders})
        else:
            queryset = queryset.filter(in_provinces(f"{side}__health_center__province", provinces))
        if days.days is not None:
            queryset = queryset.filter(created_at__lt=midnight(days.days[-1] + dt.timedelta(days=1)))
        keys = (
            side,
            "day",
            f"{side}__health_center__province",
            f"{side}__product",
            f"{side}__unit_cost_rials",
            f"{side}__quantity",
        )
        grouped = _grouped(queryset.annotate(day=TruncDate("created_at")), keys, v=Sum("amount_rials"))
        for order_id, day, province, product, unit_cost, quantity, amount in grouped:
            order = money.get(order_id)
            if order is None:
                order = money[order_id] = [province, product, unit_cost, quantity, {}]
            order[4][day] = order[4].get(day, 0) + sign * int(amount or 0)
    for province, product, unit_cost, quantity, by_day in money.values():
        total = 0
        for day in sorted(by_day):
            before, total = total, total + by_day[day]
            if day in days:
                released = units_paid_for(total, unit_cost, quantity) - units_paid_for(before, unit_cost, quantity)
                out.add((day, province, product), funded_rials=by_day[day], releasable_units=released)


def units_paid_for(rials: int, unit_cost: int, quantity: int) -> int:
    if not unit_cost:
        return 0
    return min(max(rials, 0) // unit_cost, quantity)
