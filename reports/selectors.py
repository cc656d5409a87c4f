"""The rows the dashboard, its charts and action lists, and the thematic report count: one definition each,
so that a figure shown in two places is read the same way (see ``reports.dashboard`` for what each figure counts).

"In the province" is ``in_scope``: the user's provinces, and the chosen one when given.
"""

from __future__ import annotations

from django.db.models import DateField, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from core.models import Province
from core.scoping import scope_by_province
from donors.models import EntryKind, LedgerEntry
from fulfilment.models import DeliveryLine, PickupLine
from fulfilment.models.deliveries import DeliveryStatus
from orders.models import Order, OrderStatus

from .periods import DashboardPeriod, day_range, moment_range

ANSWERED_DELIVERY_STATUSES = (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED)


def in_scope(queryset: QuerySet, user, province_path: str, province: Province | None) -> QuerySet:
    """Rows in the user's provinces (``province_path`` leads to the province), and in ``province`` when given."""
    queryset = scope_by_province(queryset, user, field=province_path)
    if province is not None:
        queryset = queryset.filter(**{province_path: province})
    return queryset


def left_on_expression() -> TruncDate:
    """The day a delivery line's delivery left for the health center; null while it is planned or cancelled."""
    return TruncDate(
        Coalesce("delivery__dispatched_at", "delivery__delivered_at", "delivery__confirmed_at"),
        output_field=DateField(),
    )


def left_in(period: DashboardPeriod, prefix: str = "delivery__") -> Q:
    """Lines (``prefix`` leads to the delivery) whose ``left_on_expression`` falls in the period.

    Spelled out column by column (dispatched, else delivered, else confirmed)
    for the planner's sake, as ``moment_range``.
    """
    dispatched, delivered, confirmed = (f"{prefix}{name}" for name in ("dispatched_at", "delivered_at", "confirmed_at"))
    return (
        moment_range(dispatched, period)
        | Q(**{f"{dispatched}__isnull": True}) & moment_range(delivered, period)
        | Q(**{f"{dispatched}__isnull": True, f"{delivered}__isnull": True}) & moment_range(confirmed, period)
    )


def answered_in(period: DashboardPeriod, prefix: str = "delivery__") -> Q:
    """Lines (``prefix`` leads to the delivery) of deliveries the receiver answered (confirmed or disputed) in the
    period: the rows of the "confirmed" figure, here and in the thematic report."""
    return Q(**{f"{prefix}status__in": ANSWERED_DELIVERY_STATUSES}) & moment_range(f"{prefix}confirmed_at", period)


def demand_orders(user, period: DashboardPeriod, province: Province | None) -> QuerySet[Order]:
    """Orders created in the period, except cancelled ones: the rows of "demand" (and the report's order count)."""
    orders = Order.objects.exclude(status=OrderStatus.CANCELLED).filter(moment_range("created_at", period))
    return in_scope(orders, user, "health_center__province", province)


def payouts_in(user, period: DashboardPeriod, province: Province | None) -> QuerySet[LedgerEntry]:
    """Payout ledger entries to workshops of the province dated in the period: the rows of "paid to workshops"
    (one entry per line of a paid payout batch) and of the income from donated orders."""
    payouts = LedgerEntry.objects.filter(moment_range("created_at", period), kind=EntryKind.PAYOUT)
    return in_scope(payouts, user, "to_workshop__province", province)


def pickup_lines_in(user, period: DashboardPeriod, province: Province | None) -> QuerySet[PickupLine]:
    """Lines of pickups dated in the period, at workshops of the province: the rows of "accepted" (and rejected)."""
    lines = PickupLine.objects.filter(**day_range("pickup__pickup_date", period))
    return in_scope(lines, user, "pickup__workshop__province", province)


def _delivery_lines(user, province) -> QuerySet[DeliveryLine]:
    return in_scope(DeliveryLine.objects.all(), user, "delivery__health_center__province", province)


def lines_that_left(user, province, period: DashboardPeriod) -> QuerySet[DeliveryLine]:
    """The rows of the dashboard's "delivered" (``left_in``), so the center table adds up to the headline."""
    return _delivery_lines(user, province).filter(left_in(period))


def lines_answered(user, province, period: DashboardPeriod) -> QuerySet[DeliveryLine]:
    """The rows of the dashboard's "confirmed" (``answered_in``)."""
    return _delivery_lines(user, province).filter(answered_in(period))


def provinces_for(user) -> QuerySet[Province]:
    """The provinces the user may choose on the dashboard (hers; all for national coordinators)."""
    return scope_by_province(Province.objects.order_by("name_fa"), user, field="pk")
