"""The figures of the ministry's thematic report, for one province (or a whole scope) and a period.

What "in the period" means for each figure (all dates are the local calendar day):

- orders: created in the period, not cancelled, at health centers of the scope;
- production: pickups dated in the period of units made for the scope's health centers (accepted, rejected);
- deliveries: planned in the period to health centers of the scope, once delivered, confirmed or disputed;
  "confirmed" units are what receivers counted as received and not rejected;
- money: ledger entries recorded in the period; a campaign's balance is what it held at the end of the period.
- a disputed line counts as made up once a later delivery of the same order to the same center was confirmed.

Summary figures come from the coordinator dashboard (``reports.dashboard``) when it
offers them; the extra tables are computed here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from core.models import HealthCenter, Product, Province
from core.scoping import scope_by_province, sees_all_provinces
from donors.models import Campaign, EntryKind, LedgerEntry
from orders.funding import confirmed_funds_expression
from orders.models import Delivery, DeliveryLine, DeliveryStatus, Order, OrderStatus, PickupLine, RejectReason
from workshops.models import Workshop

TOP_WORKSHOPS = 10
DELIVERED_STATUSES = (DeliveryStatus.DELIVERED, DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED)
ANSWERED_STATUSES = (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED)


@dataclass(frozen=True)
class ReportScope:
    """The provinces a report covers: ``province_ids`` is None for the whole country."""

    province_ids: frozenset[int] | None

    @classmethod
    def for_user(cls, user) -> ReportScope:
        if sees_all_provinces(user):
            return cls(None)
        return cls(frozenset(scope_by_province(Province.objects.all(), user, field="pk").values_list("pk", flat=True)))

    def narrowed_to(self, province: Province | None) -> ReportScope:
        if province is None:
            return self
        if self.province_ids is not None and province.pk not in self.province_ids:
            return ReportScope(frozenset())
        return ReportScope(frozenset({province.pk}))

    def filter(self, queryset: QuerySet, field: str) -> QuerySet:
        if self.province_ids is None:
            return queryset
        return queryset.filter(**{f"{field}__in": self.province_ids})


@dataclass(frozen=True)
class Summary:
    orders: int = 0
    ordered_units: int = 0
    budget_rials: int = 0
    funded_rials: int = 0
    accepted_units: int = 0
    rejected_units: int = 0
    delivered_units: int = 0
    confirmed_units: int = 0
    deliveries: int = 0
    disputed_deliveries: int = 0
    health_centers_served: int = 0

    @property
    def funded_percent(self) -> int | None:
        """Whole percent of the budget confirmed as received; None when nothing was ordered (not 0%, not NaN)."""
        return min(self.funded_rials * 100 // self.budget_rials, 100) if self.budget_rials else None

    @property
    def rejected_percent(self) -> int | None:
        collected = self.accepted_units + self.rejected_units
        return self.rejected_units * 100 // collected if collected else None

    @property
    def confirmed_percent(self) -> int | None:
        return self.confirmed_units * 100 // self.delivered_units if self.delivered_units else None


@dataclass(frozen=True)
class AreaRow:
    """One province or one product: what was ordered, funded, accepted and delivered."""

    name: str
    ordered_units: int
    budget_rials: int
    funded_rials: int
    accepted_units: int
    delivered_units: int
    confirmed_units: int

    @property
    def funded_percent(self) -> int | None:
        return min(self.funded_rials * 100 // self.budget_rials, 100) if self.budget_rials else None


@dataclass(frozen=True)
class WorkshopRow:
    name: str
    province: str
    city: str
    accepted_units: int
    rejected_units: int


@dataclass(frozen=True)
class CenterRow:
    name: str
    province: str
    deliveries: int
    delivered_units: int
    confirmed_units: int


@dataclass(frozen=True)
class CampaignRow:
    name: str
    received_rials: int
    applied_rials: int
    refunded_rials: int
    balance_rials: int


@dataclass(frozen=True)
class DiscrepancyRow:
    delivery_code: str
    health_center: str
    product: str
    sent_units: int
    received_units: int
    rejected_units: int
    short_units: int
    reason: str
    made_up_by: str  # the code of the later confirmed delivery, empty while open

    @property
    def is_resolved(self) -> bool:
        return bool(self.made_up_by)


@dataclass(frozen=True)
class RejectionRow:
    reason: str
    label: str
    units: int


@dataclass
class ThematicData:
    start: dt.date
    end: dt.date
    province: Province | None
    summary: Summary
    provinces: list[AreaRow] = field(default_factory=list)
    products: list[AreaRow] = field(default_factory=list)
    top_workshops: list[WorkshopRow] = field(default_factory=list)
    health_centers: list[CenterRow] = field(default_factory=list)
    campaigns: list[CampaignRow] = field(default_factory=list)
    discrepancies: list[DiscrepancyRow] = field(default_factory=list)
    rejections: list[RejectionRow] = field(default_factory=list)
    product_names: list[tuple[str, str, int]] = field(default_factory=list)  # (Persian, English, units ordered)

    @property
    def shortfall_units(self) -> int:
        return sum(row.short_units for row in self.discrepancies)

    @property
    def resolved_discrepancies(self) -> int:
        return sum(row.is_resolved for row in self.discrepancies)


# --- Querysets of the period --------------------------------------------------------------------------------


def period_orders(scope: ReportScope, start: dt.date, end: dt.date) -> QuerySet[Order]:
    orders = Order.objects.filter(created_at__date__range=(start, end)).exclude(status=OrderStatus.CANCELLED)
    return scope.filter(orders, "health_center__province")


def period_pickup_lines(scope: ReportScope, start: dt.date, end: dt.date) -> QuerySet[PickupLine]:
    lines = PickupLine.objects.filter(pickup__pickup_date__range=(start, end))
    return scope.filter(lines, "quota__order__health_center__province")


def period_delivery_lines(scope: ReportScope, start: dt.date, end: dt.date) -> QuerySet[DeliveryLine]:
    lines = DeliveryLine.objects.filter(
        delivery__planned_date__range=(start, end), delivery__status__in=DELIVERED_STATUSES
    )
    return scope.filter(lines, "delivery__health_center__province")


def _int(value) -> int:
    return int(value or 0)


CONFIRMED_UNITS = Sum(F("received_units") - F("rejected_units"), filter=Q(delivery__status__in=ANSWERED_STATUSES))


# --- Tables ---------------------------------------------------------------------------------------------------


def _area_rows(scope, start, end, *, key: str, model) -> list[AreaRow]:
    """Rows grouped by the orders' ``key`` (``health_center__province`` or ``product``), named from ``model``."""
    figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    orders = (
        period_orders(scope, start, end)
        .annotate(funds=confirmed_funds_expression())
        .values_list(key, "quantity", "unit_cost_rials", "funds")
    )
    for pk, quantity, unit_cost, funds in orders:
        budget = quantity * unit_cost
        figures[pk]["ordered"] += quantity
        figures[pk]["budget"] += budget
        figures[pk]["funded"] += min(_int(funds), budget)  # money moved on later does not count twice
    accepted = period_pickup_lines(scope, start, end).values_list(f"quota__order__{key}")
    for pk, units in accepted.order_by().annotate(units=Sum("accepted_units")):
        figures[pk]["accepted"] += _int(units)
    delivered = period_delivery_lines(scope, start, end).values_list(f"quota__order__{key}")
    for pk, units, confirmed in delivered.order_by().annotate(units=Sum("units"), confirmed=CONFIRMED_UNITS):
        figures[pk]["delivered"] += _int(units)
        figures[pk]["confirmed"] += _int(confirmed)
    names = {obj.pk: obj.name for obj in model.objects.filter(pk__in=list(figures))}
    rows = [
        AreaRow(
            name=names.get(pk, str(pk)),
            ordered_units=values["ordered"],
            budget_rials=values["budget"],
            funded_rials=values["funded"],
            accepted_units=values["accepted"],
            delivered_units=values["delivered"],
            confirmed_units=values["confirmed"],
        )
        for pk, values in figures.items()
    ]
    return sorted(rows, key=lambda row: (-row.ordered_units, -row.delivered_units, row.name))


def province_rows(scope: ReportScope, start: dt.date, end: dt.date) -> list[AreaRow]:
    return _area_rows(scope, start, end, key="health_center__province", model=Province)


def product_rows(scope: ReportScope, start: dt.date, end: dt.date) -> list[AreaRow]:
    return _area_rows(scope, start, end, key="product", model=Product)


def top_workshops(scope: ReportScope, start: dt.date, end: dt.date, limit: int = TOP_WORKSHOPS) -> list[WorkshopRow]:
    """Workshops by units accepted at pickups in the period (names shown: the report is internal to the ministry)."""
    rows = (
        period_pickup_lines(scope, start, end)
        .values("quota__workshop")
        .annotate(accepted=Sum("accepted_units"), rejected=Sum("rejected_units"))
        .filter(accepted__gt=0)
        .order_by("-accepted", "quota__workshop")[:limit]
    )
    workshops = Workshop.objects.select_related("province", "city").in_bulk([row["quota__workshop"] for row in rows])
    return [
        WorkshopRow(
            name=workshops[row["quota__workshop"]].name,
            province=workshops[row["quota__workshop"]].province.name,
            city=workshops[row["quota__workshop"]].city.name,
            accepted_units=_int(row["accepted"]),
            rejected_units=_int(row["rejected"]),
        )
        for row in rows
    ]


def health_center_rows(scope: ReportScope, start: dt.date, end: dt.date) -> list[CenterRow]:
    rows = (
        period_delivery_lines(scope, start, end)
        .values("delivery__health_center")
        .annotate(
            deliveries=Count("delivery", distinct=True),
            units=Sum("units"),
            confirmed=CONFIRMED_UNITS,
        )
        .order_by("-units", "delivery__health_center")
    )
    centers = HealthCenter.objects.select_related("province").in_bulk([r["delivery__health_center"] for r in rows])
    return [
        CenterRow(
            name=centers[row["delivery__health_center"]].name,
            province=centers[row["delivery__health_center"]].province.name,
            deliveries=row["deliveries"],
            delivered_units=_int(row["units"]),
            confirmed_units=_int(row["confirmed"]),
        )
        for row in rows
    ]


def _sum_by(field: str, entries: QuerySet[LedgerEntry]) -> dict[int, int]:
    totals = entries.filter(**{f"{field}__isnull": False}).order_by().values_list(field).annotate(t=Sum("amount_rials"))
    return {pk: _int(total) for pk, total in totals}


def campaign_rows(scope: ReportScope, start: dt.date, end: dt.date) -> list[CampaignRow]:
    """Per campaign: received in the period, applied to the scope's orders in the period, balance at its end.

    Campaigns are national pools: what they received and hold is shown whole,
    what they applied only towards the orders of the report's provinces.
    """
    in_period = LedgerEntry.objects.filter(created_at__date__range=(start, end))
    received = _sum_by("to_campaign", in_period.filter(kind=EntryKind.RECEIVED))
    applied = _sum_by(
        "from_campaign", scope.filter(in_period.filter(kind=EntryKind.APPLIED), "to_order__health_center__province")
    )
    refunded = _sum_by("from_campaign", in_period.filter(kind=EntryKind.REFUNDED))
    until_end = LedgerEntry.objects.filter(created_at__date__lte=end)
    held_in = _sum_by("to_campaign", until_end)
    held_out = _sum_by("from_campaign", until_end)
    campaign_ids = set(received) | set(applied) | set(refunded)
    rows = [
        CampaignRow(
            name=campaign.name,
            received_rials=received.get(campaign.pk, 0),
            applied_rials=applied.get(campaign.pk, 0),
            refunded_rials=refunded.get(campaign.pk, 0),
            balance_rials=held_in.get(campaign.pk, 0) - held_out.get(campaign.pk, 0),
        )
        for campaign in Campaign.objects.filter(pk__in=campaign_ids)
    ]
    return sorted(rows, key=lambda row: (-row.received_rials, -row.applied_rials, row.name))


def discrepancy_rows(scope: ReportScope, start: dt.date, end: dt.date) -> list[DiscrepancyRow]:
    """Every line of a disputed delivery that came short or had units refused, and whether it was made up since."""
    disputed = scope.filter(
        DeliveryLine.objects.filter(
            delivery__planned_date__range=(start, end), delivery__status=DeliveryStatus.DISPUTED
        ),
        "delivery__health_center__province",
    ).select_related("delivery__health_center", "quota__order__product")
    rows = []
    for line in disputed.order_by("delivery__planned_date", "delivery__code", "id"):
        received = line.received_units or 0
        rejected = line.rejected_units or 0
        short = line.units - received + rejected
        if short <= 0:
            continue
        later = (
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
                made_up_by=later or "",
            )
        )
    return rows


def rejection_rows(scope: ReportScope, start: dt.date, end: dt.date) -> list[RejectionRow]:
    """Units refused at pickups' quality checks, by reason."""
    totals = (
        period_pickup_lines(scope, start, end)
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


def summary_from_tables(
    scope: ReportScope, start: dt.date, end: dt.date, provinces: list[AreaRow], centers: list[CenterRow]
) -> Summary:
    lines = period_delivery_lines(scope, start, end)
    pickups = period_pickup_lines(scope, start, end).aggregate(
        accepted=Coalesce(Sum("accepted_units"), 0), rejected=Coalesce(Sum("rejected_units"), 0)
    )
    deliveries = scope.filter(
        Delivery.objects.filter(planned_date__range=(start, end), status__in=DELIVERED_STATUSES),
        "health_center__province",
    )
    return Summary(
        orders=period_orders(scope, start, end).count(),
        ordered_units=sum(row.ordered_units for row in provinces),
        budget_rials=sum(row.budget_rials for row in provinces),
        funded_rials=sum(row.funded_rials for row in provinces),
        accepted_units=pickups["accepted"],
        rejected_units=pickups["rejected"],
        delivered_units=_int(lines.aggregate(total=Sum("units"))["total"]),
        confirmed_units=sum(row.confirmed_units for row in centers),
        deliveries=deliveries.count(),
        disputed_deliveries=deliveries.filter(status=DeliveryStatus.DISPUTED).count(),
        health_centers_served=len(centers),
    )


def thematic_data(*, user_or_scope, province: Province | None, start: dt.date, end: dt.date) -> ThematicData:
    """Every table of the report. ``user_or_scope``: the requester (her provinces) or a ``ReportScope``."""
    base = user_or_scope if isinstance(user_or_scope, ReportScope) else ReportScope.for_user(user_or_scope)
    scope = base.narrowed_to(province)
    provinces = province_rows(scope, start, end)
    centers = health_center_rows(scope, start, end)
    products = product_rows(scope, start, end)
    product_names = [
        (product.name_fa, product.name_en or product.name_fa, units)
        for product, units in _ordered_products(scope, start, end)
    ]
    return ThematicData(
        start=start,
        end=end,
        province=province,
        summary=summary_from_tables(scope, start, end, provinces, centers),
        provinces=provinces,
        products=products,
        top_workshops=top_workshops(scope, start, end),
        health_centers=centers,
        campaigns=campaign_rows(scope, start, end),
        discrepancies=discrepancy_rows(scope, start, end),
        rejections=rejection_rows(scope, start, end),
        product_names=product_names,
    )


def _ordered_products(scope: ReportScope, start: dt.date, end: dt.date) -> list[tuple[Product, int]]:
    totals = dict(period_orders(scope, start, end).order_by().values_list("product").annotate(units=Sum("quantity")))
    products = Product.objects.in_bulk(list(totals))
    return sorted(((products[pk], _int(units)) for pk, units in totals.items()), key=lambda pair: -pair[1])
