"""The dashboard's figures as they were computed before issue 20: straight from the raw rows, per period.

Kept only as the oracle of ``test_daily_figures``: the dashboard now reads the stored daily figures, which must
give the same rows. (Copied from ``reports/dashboard.py`` at 5fcd6b7, unchanged but for the imports; the
row containers ``_Rows`` and ``_grouped`` are the dashboard's own.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Q, QuerySet, Sum

from core.models import Province
from donors.ledger.selectors import ORDER_INFLOW_KINDS, ORDER_OUTFLOW_KINDS
from donors.models import LedgerEntry
from fulfilment.models import DeliveryLine
from production.models import OutputReport, Quota
from production.selectors.committed import committed_units_expression
from reports.dashboard import Figures, _grouped, _Rows  # the row containers; the reads below are the old ones
from reports.periods import DashboardPeriod, day_range, midnight, moment_range
from reports.selectors import answered_in, demand_orders, in_scope, left_in, payouts_in, pickup_lines_in


def raw_figure_rows(
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
