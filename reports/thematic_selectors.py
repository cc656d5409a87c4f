"""The reads of the ministry's thematic report, for one province (or all of the requester's) and a period.

The summary and the per-province and per-product tables are the coordinator
dashboard's (``reports.dashboard``: same definitions, so the report and the
dashboard never disagree); read its docstring for what each figure counts.
The other tables follow the same rules for "in the period" and "in the
province":

- top workshops and rejections at pickups: pickups dated in the period, at
  workshops of the province (supply side);
- health centers served: delivery lines that left in the period (the
  dashboard's ``left_on_expression``) and lines answered in the period, at
  health centers of the province (order side);
- campaigns: ledger entries dated in the period; "applied" counts only money
  applied to orders of the province, "received" and the balance at the end of
  the period are the campaign's whole (campaigns are national pools);
- discrepancies: lines of deliveries disputed (answered) in the period that
  came short or had units refused; one counts as made up once a later
  delivery of the same order to the same center was confirmed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, QuerySet, Sum

from core.models import HealthCenter, Product, Province
from donors.models import Campaign, EntryKind, LedgerEntry
from fulfilment.models import Delivery, DeliveryStatus, PickupLine, RejectReason
from orders.models import Order
from workshops.models import Workshop

from .dashboard import dashboard_figures, product_rows, province_rows
from .income_selectors import income_rows
from .periods import DashboardPeriod, moment_range
from .province_map import report_maps
from .selectors import demand_orders, in_scope, lines_answered, lines_that_left, pickup_lines_in
from .thematic import (
    CampaignRow,
    CenterRow,
    DiscrepancyRow,
    RejectionRow,
    Summary,
    ThematicData,
    WorkshopRow,
)

TOP_WORKSHOPS = 10


def _int(value) -> int:
    return int(value or 0)


def period_orders(user, province, period: DashboardPeriod) -> QuerySet[Order]:
    return demand_orders(user, period, province)


def period_pickup_lines(user, province, period: DashboardPeriod) -> QuerySet[PickupLine]:
    return pickup_lines_in(user, period, province)


# --- Tables ---------------------------------------------------------------------------------------------------


def top_workshops(user, province, period: DashboardPeriod, limit: int = TOP_WORKSHOPS) -> list[WorkshopRow]:
    """Workshops by units accepted at pickups in the period (names shown: the report is internal to the ministry)."""
    rows = list(
        period_pickup_lines(user, province, period)
        .values("pickup__workshop")
        .annotate(accepted=Sum("accepted_units"), rejected=Sum("rejected_units"))
        .filter(accepted__gt=0)
        .order_by("-accepted", "pickup__workshop")[:limit]
    )
    workshops = Workshop.objects.select_related("province", "city").in_bulk([row["pickup__workshop"] for row in rows])
    result = []
    for row in rows:
        workshop = workshops[row["pickup__workshop"]]
        result.append(
            WorkshopRow(
                name=workshop.name,
                province=workshop.province.name,
                city=workshop.city.name,
                accepted_units=_int(row["accepted"]),
                rejected_units=_int(row["rejected"]),
            )
        )
    return result


def health_center_rows(user, province, period: DashboardPeriod) -> list[CenterRow]:
    figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    left = (
        lines_that_left(user, province, period)
        .values_list("delivery__health_center")
        .order_by()
        .annotate(deliveries=Count("delivery", distinct=True), units=Sum("units"))
    )
    for center, deliveries, units in left:
        figures[center]["deliveries"] += deliveries
        figures[center]["units"] += _int(units)
    answered = (
        lines_answered(user, province, period)
        .values_list("delivery__health_center")
        .order_by()
        .annotate(confirmed=Sum(F("received_units") - F("rejected_units")))
    )
    for center, confirmed in answered:
        figures[center]["confirmed"] += _int(confirmed)
    centers = HealthCenter.objects.select_related("province").in_bulk(list(figures))
    rows = [
        CenterRow(
            name=centers[pk].name,
            province=centers[pk].province.name,
            deliveries=values["deliveries"],
            delivered_units=values["units"],
            confirmed_units=values["confirmed"],
        )
        for pk, values in figures.items()
    ]
    return sorted(rows, key=lambda row: (-row.delivered_units, -row.confirmed_units, row.name))


def _sum_by(field_name: str, entries: QuerySet[LedgerEntry]) -> dict[int, int]:
    totals = (
        entries.filter(**{f"{field_name}__isnull": False})
        .order_by()
        .values_list(field_name)
        .annotate(total=Sum("amount_rials"))
    )
    return {pk: _int(total) for pk, total in totals}


def campaign_rows(user, province, period: DashboardPeriod) -> list[CampaignRow]:
    """Per campaign: received in the period, applied to the report's orders in the period, balance at its end."""
    in_period = LedgerEntry.objects.filter(moment_range("created_at", period))
    received = _sum_by("to_campaign", in_period.filter(kind=EntryKind.RECEIVED))
    applied_entries = in_scope(
        in_period.filter(kind=EntryKind.APPLIED), user, "to_order__health_center__province", province
    )
    applied = _sum_by("from_campaign", applied_entries)
    refunded = _sum_by("from_campaign", in_period.filter(kind=EntryKind.REFUNDED))
    until_end = LedgerEntry.objects.filter(created_at__date__lte=period.end)
    held_in, held_out = _sum_by("to_campaign", until_end), _sum_by("from_campaign", until_end)
    rows = [
        CampaignRow(
            name=campaign.name,
            received_rials=received.get(campaign.pk, 0),
            applied_rials=applied.get(campaign.pk, 0),
            refunded_rials=refunded.get(campaign.pk, 0),
            balance_rials=held_in.get(campaign.pk, 0) - held_out.get(campaign.pk, 0),
        )
        for campaign in Campaign.objects.filter(pk__in=set(received) | set(applied) | set(refunded))
    ]
    return sorted(rows, key=lambda row: (-row.received_rials, -row.applied_rials, row.name))


def discrepancy_rows(user, province, period: DashboardPeriod) -> list[DiscrepancyRow]:
    """Every line of a delivery disputed in the period that came short or had units refused, and its resolution."""
    lines = (
        lines_answered(user, province, period)
        .filter(delivery__status=DeliveryStatus.DISPUTED)
        .select_related("delivery__health_center", "quota__order__product")
        .order_by("delivery__confirmed_at", "delivery__code", "id")
    )
    rows = []
    for line in lines:
        received, rejected = line.received_units or 0, line.rejected_units or 0
        short = line.units - received + rejected
        if short <= 0:
            continue
        made_up_by = (
            Delivery.objects.filter(
                health_center_id=line.delivery.health_center_id,
                status=DeliveryStatus.CONFIRMED,
                lines__quota__order_id=line.quota.order_id,
                pk__gt=line.delivery_id,
            )
            .order_by("pk")
            .values_list("code", flat=True)
            .first()
        )
        rows.append(
            DiscrepancyRow(
                delivery_code=line.delivery.code,
                health_center=line.delivery.health_center.name,
                product=line.quota.order.product.name,
                sent_units=line.units,
                received_units=received,
                rejected_units=rejected,
                short_units=short,
                reason=line.reject_reason,
                made_up_by=made_up_by or "",
            )
        )
    return rows


def rejection_rows(user, province, period: DashboardPeriod) -> list[RejectionRow]:
    """Units refused at pickups' quality checks, by reason."""
    totals = (
        period_pickup_lines(user, province, period)
        .filter(rejected_units__gt=0)
        .order_by()
        .values_list("reject_reason")
        .annotate(units=Sum("rejected_units"))
    )
    labels = dict(RejectReason.choices)
    rows = [
        RejectionRow(reason=reason, label=str(labels.get(reason, reason)), units=_int(units))
        for reason, units in totals
    ]
    return sorted(rows, key=lambda row: (-row.units, row.reason))


def ordered_products(user, province, period: DashboardPeriod) -> list[tuple[str, str, int]]:
    """(Persian name, English name, units ordered) per product, most ordered first: the paragraph names them."""
    totals = dict(period_orders(user, province, period).order_by().values_list("product").annotate(Sum("quantity")))
    products = Product.objects.in_bulk(list(totals))
    named = [
        (products[pk].name_fa, products[pk].name_en or products[pk].name_fa, _int(units))
        for pk, units in totals.items()
    ]
    return sorted(named, key=lambda item: (-item[2], item[0]))


def summary(user, province, period: DashboardPeriod, centers: list[CenterRow]) -> Summary:
    orders = period_orders(user, province, period).aggregate(
        count=Count("pk"), budget=Sum(F("quantity") * F("unit_cost_rials"))
    )
    rejected = period_pickup_lines(user, province, period).aggregate(units=Sum("rejected_units"))["units"]
    answered = lines_answered(user, province, period)
    return Summary(
        headline=dashboard_figures(user=user, period=period, province=province),
        orders=orders["count"],
        budget_rials=_int(orders["budget"]),
        rejected_units=_int(rejected),
        deliveries=lines_that_left(user, province, period).values("delivery").distinct().count(),
        disputed_deliveries=answered.filter(delivery__status=DeliveryStatus.DISPUTED)
        .values("delivery")
        .distinct()
        .count(),
        health_centers_served=sum(1 for center in centers if center.delivered_units),
    )


def thematic_data(*, user_or_scope, province: Province | None, start: dt.date, end: dt.date) -> ThematicData:
    """Every table of the report. ``user_or_scope``: the requester, whose provinces bound every figure
    (``province`` None: all of them; a province outside them: nothing)."""
    user, period = user_or_scope, DashboardPeriod(start, end)
    centers = health_center_rows(user, province, period)
    return ThematicData(
        start=start,
        end=end,
        province=province,
        summary=summary(user, province, period, centers),
        provinces=province_rows(user=user, period=period, province=province),
        products=product_rows(user=user, period=period, province=province),
        top_workshops=top_workshops(user, province, period),
        health_centers=centers,
        campaigns=campaign_rows(user, province, period),
        discrepancies=discrepancy_rows(user, province, period),
        rejections=rejection_rows(user, province, period),
        product_names=ordered_products(user, province, period),
        province_maps=report_maps(user, selected=province),
        income=income_rows(user=user, period=period, province=province),
    )
