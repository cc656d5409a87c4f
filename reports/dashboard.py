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
  do not lower it (as in ``donors.ledger.order_applied_funds``).
- **releasable units**: what that money pays for. Per order,
  ``min(floor(funds up to the period's end / unit cost), quantity)`` minus the
  same at the day before the period; so the units money released in the
  period (negative when a refund took money away).
- **allocated**: units handed to workshops by quotas offered in the period,
  counted as the order counts them (``orders.funding.committed_units_expression``:
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

Queries: each figure is one aggregate query grouped by province (or by
product, or by order for the money); none is repeated per row, so the number
of queries does not grow with the number of workshops, orders or reports.
The headline is the total of the province rows (a workshop lies in one
province, so its distinct counts add up too). Product rows add up to the
headline too, except the workshop counts: a workshop that made two products
in the period is active under both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from core.jalali import parse_jalali
from core.models import Product, Province
from core.persian import to_latin_digits
from core.scoping import scope_by_province
from donors.ledger import ORDER_INFLOW_KINDS, ORDER_OUTFLOW_KINDS
from donors.models import EntryKind, LedgerEntry
from orders.funding import committed_units_expression
from orders.models import DeliveryLine, Order, OrderStatus, OutputReport, PickupLine, Quota
from orders.models.deliveries import DeliveryStatus

DEFAULT_PERIOD_DAYS = 30
ANSWERED_DELIVERY_STATUSES = (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED)


# --- Period -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPeriod:
    """Days ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def default(cls, today: dt.date | None = None) -> DashboardPeriod:
        end = today or timezone.localdate()
        return cls(end - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), end)

    @classmethod
    def between(cls, start: dt.date | None, end: dt.date | None, today: dt.date | None = None) -> DashboardPeriod:
        """No ``end``: today; no ``start``: 30 days before ``end`` (so neither gives the default period);
        reversed dates are swapped."""
        end = end or today or timezone.localdate()
        start = start or end - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        return cls(min(start, end), max(start, end))

    @classmethod
    def from_params(cls, params, today: dt.date | None = None) -> DashboardPeriod:
        """From Jalali ``from``/``to`` GET parameters (Persian digits welcome); unreadable ones count as missing."""
        return cls.between(_parse_date(params.get("from")), _parse_date(params.get("to")), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def day_before(self) -> dt.date:
        return self.start - dt.timedelta(days=1)


def _parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_jalali(to_latin_digits(text.strip()))
    except (TypeError, ValueError):
        return None


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


@dataclass(frozen=True)
class Grouping:
    """How a row is keyed: the path from each source model to its province or product."""

    name: str  # "province" or "product"

    def order_side(self, prefix: str) -> str:
        target = "health_center__province" if self.name == "province" else "product"
        return f"{prefix}{target}"

    def supply_side(self, workshop_path: str, order_path: str) -> str:
        return f"{workshop_path}province" if self.name == "province" else f"{order_path}product"


BY_PROVINCE = Grouping("province")
BY_PRODUCT = Grouping("product")


def left_on_expression() -> TruncDate:
    """The day a delivery line's delivery left for the health center; null while it is planned or cancelled."""
    return TruncDate(
        Coalesce("delivery__dispatched_at", "delivery__delivered_at", "delivery__confirmed_at"),
        output_field=DateField(),
    )


def in_scope(queryset: QuerySet, user, province_path: str, province: Province | None) -> QuerySet:
    """Rows in the user's provinces (``province_path`` leads to the province), and in ``province`` when given."""
    queryset = scope_by_province(queryset, user, field=province_path)
    if province is not None:
        queryset = queryset.filter(**{province_path: province})
    return queryset


def _grouped(queryset: QuerySet, key_path: str, **aggregates) -> Iterable[dict]:
    return queryset.order_by().values(key_path).annotate(**aggregates).values(key_path, *aggregates)


def _collect(rows: dict[int, Figures], records: Iterable[dict], key_path: str, **figures: str) -> None:
    """Add each record's aggregates (``figure=aggregate name``) to the row of its key."""
    for record in records:
        row = rows.setdefault(record[key_path], Figures(key=record[key_path]))
        for figure, aggregate in figures.items():
            setattr(row, figure, getattr(row, figure) + int(record[aggregate] or 0))


def _day_range(path: str, period: DashboardPeriod) -> dict:
    return {f"{path}__range": (period.start, period.end)}


def _figure_rows(*, user, period: DashboardPeriod, province: Province | None, grouping: Grouping) -> dict[int, Figures]:
    rows: dict[int, Figures] = {}

    # Order side.
    key = grouping.order_side("")
    orders = Order.objects.exclude(status=OrderStatus.CANCELLED).filter(**_day_range("created_at__date", period))
    orders = in_scope(orders, user, "health_center__province", province)
    _collect(rows, _grouped(orders, key, demand=Sum("quantity")), key, demand_units="demand")

    key = grouping.order_side("order__")
    quotas = in_scope(
        Quota.objects.filter(**_day_range("offered_at__date", period)), user, "order__health_center__province", province
    )
    _collect(rows, _grouped(quotas, key, allocated=Sum(committed_units_expression())), key, allocated_units="allocated")

    key = grouping.order_side("quota__order__") if grouping is BY_PRODUCT else "delivery__health_center__province"
    lines = in_scope(DeliveryLine.objects.all(), user, "delivery__health_center__province", province)
    dispatched = lines.annotate(left_on=left_on_expression()).filter(left_on__range=(period.start, period.end))
    _collect(rows, _grouped(dispatched, key, delivered=Sum("units")), key, delivered_units="delivered")
    answered = lines.filter(
        delivery__status__in=ANSWERED_DELIVERY_STATUSES, **_day_range("delivery__confirmed_at__date", period)
    )
    confirmed = Sum(F("received_units") - F("rejected_units"))
    _collect(rows, _grouped(answered, key, confirmed=confirmed), key, confirmed_units="confirmed")

    _collect_funding(rows, user=user, period=period, province=province, grouping=grouping)

    # Supply side.
    key = grouping.supply_side("quota__workshop__", "quota__order__")
    reports = in_scope(
        OutputReport.objects.filter(**_day_range("report_date", period)), user, "quota__workshop__province", province
    )
    woman_headed = Q(quota__workshop__is_woman_head_of_household=True)
    _collect(
        rows,
        _grouped(
            reports,
            key,
            produced=Sum("quantity"),
            active=Count("quota__workshop", distinct=True),
            woman_headed=Count("quota__workshop", distinct=True, filter=woman_headed),
        ),
        key,
        produced_units="produced",
        workshops_active="active",
        woman_headed_workshops_active="woman_headed",
    )

    key = grouping.supply_side("pickup__workshop__", "quota__order__")
    pickups = PickupLine.objects.filter(**_day_range("pickup__pickup_date", period))
    pickups = in_scope(pickups, user, "pickup__workshop__province", province)
    _collect(rows, _grouped(pickups, key, accepted=Sum("accepted_units")), key, accepted_units="accepted")

    key = grouping.supply_side("to_workshop__", "quota__order__")
    payouts = in_scope(
        LedgerEntry.objects.filter(kind=EntryKind.PAYOUT, **_day_range("created_at__date", period)),
        user,
        "to_workshop__province",
        province,
    )
    _collect(rows, _grouped(payouts, key, paid=Sum("amount_rials")), key, income_paid_rials="paid")
    return rows


def _order_funds(queryset: QuerySet, side: str, period: DashboardPeriod) -> Iterable[dict]:
    """Per order on ``side`` of the entries: its province, product, unit cost, quantity and money before/through."""
    return (
        queryset.filter(created_at__date__lte=period.end)
        .order_by()
        .values(side)
        .annotate(
            before=Sum("amount_rials", filter=Q(created_at__date__lt=period.start)),
            through=Sum("amount_rials"),
        )
        .values(
            side,
            "before",
            "through",
            f"{side}__health_center__province",
            f"{side}__product",
            f"{side}__unit_cost_rials",
            f"{side}__quantity",
        )
    )


def _collect_funding(rows, *, user, period: DashboardPeriod, province, grouping: Grouping) -> None:
    """Funded rials and releasable units: per order from the ledger (two queries), then added up by row key."""
    orders: dict[int, dict] = {}
    for side, kinds, sign in (("to_order", ORDER_INFLOW_KINDS, 1), ("from_order", ORDER_OUTFLOW_KINDS, -1)):
        entries = in_scope(
            LedgerEntry.objects.filter(kind__in=kinds, **{f"{side}__isnull": False}),
            user,
            f"{side}__health_center__province",
            province,
        )
        for record in _order_funds(entries, side, period):
            order = orders.setdefault(
                record[side],
                {
                    "province": record[f"{side}__health_center__province"],
                    "product": record[f"{side}__product"],
                    "unit_cost": record[f"{side}__unit_cost_rials"],
                    "quantity": record[f"{side}__quantity"],
                    "before": 0,
                    "through": 0,
                },
            )
            order["before"] += sign * int(record["before"] or 0)
            order["through"] += sign * int(record["through"] or 0)
    for order in orders.values():
        row = rows.setdefault(order[grouping.name], Figures(key=order[grouping.name]))
        row.funded_rials += order["through"] - order["before"]
        row.releasable_units += _units_paid_for(order["through"], order) - _units_paid_for(order["before"], order)


def _units_paid_for(rials: int, order: dict) -> int:
    if not order["unit_cost"]:
        return 0
    return min(max(rials, 0) // order["unit_cost"], order["quantity"])


def _named(rows: dict[int, Figures], model) -> list[Figures]:
    names = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=[key for key in rows if key is not None])}
    for key, row in rows.items():
        row.name = names.get(key, "—")
    return sorted(rows.values(), key=lambda row: row.name)


def province_rows(*, user, period: DashboardPeriod, province: Province | None = None) -> list[Figures]:
    """One row per province with any figure in the period (the user's provinces only), by name."""
    return _named(_figure_rows(user=user, period=period, province=province, grouping=BY_PROVINCE), Province)


def product_rows(*, user, period: DashboardPeriod, province: Province | None = None) -> list[Figures]:
    """One row per product with any figure in the period, in the user's provinces (or ``province``)."""
    return _named(_figure_rows(user=user, period=period, province=province, grouping=BY_PRODUCT), Product)


def total_of(rows: Iterable[Figures]) -> Figures:
    total = Figures()
    for row in rows:
        total.add(row)
    return total


def dashboard_figures(*, user, period: DashboardPeriod, province: Province | None = None) -> Figures:
    """The headline: the province rows added up."""
    rows = _figure_rows(user=user, period=period, province=province, grouping=BY_PROVINCE)
    return total_of(rows.values())


def provinces_for(user) -> QuerySet[Province]:
    """The provinces the user may choose on the dashboard (hers; all for national coordinators)."""
    return scope_by_province(Province.objects.order_by("name_fa"), user, field="pk")
