"""What the allocation engine is given, read from the database: the orders' demand and the workshops' supply.

Plain values for ``production.allocation`` (``OrderDemand``, ``WorkshopSupply``),
read the same way by a preview, by a commit's plan made before its locks, and
again under the locks to re-check that plan (``production.services.allocation``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, F, OuterRef

from core.models import Province
from crisis.selectors import severity_lookup
from orders.funding import unallocated_releasable_units, with_unit_totals
from orders.models import Order, OrderStatus
from workshops.calendar import WorkCalendar
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

from ..allocation.model import ExistingLoad, Options, OrderDemand, WorkshopSupply
from ..models import Quota, QuotaStatus

# Orders whose funded part may still be split into quotas.
ALLOCATABLE_ORDER_STATUSES = (OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION)


def quota_due_date(order: Order) -> dt.date:
    """A quota is due the delivery lead time before the order is needed."""
    return order.needed_by - dt.timedelta(days=settings.HAMDELI_DELIVERY_LEAD_DAYS)


def orders_in_scope(provinces: Iterable[Province] | None):
    orders = Order.objects.filter(status__in=ALLOCATABLE_ORDER_STATUSES)
    if provinces is not None:
        orders = orders.filter(health_center__province__in=list(provinces))
    return orders.order_by("pk")


def orders_with_totals(provinces: Iterable[Province] | None) -> list[Order]:
    """The scope's orders with their allocated units summed in the same query (one query, not one per order)."""
    return list(
        with_unit_totals(orders_in_scope(provinces)).select_related(
            "health_center__province", "health_center__city", "product"
        )
    )


def order_demands(
    orders: list[Order], today: dt.date, extra_units: dict[int, int]
) -> tuple[list[OrderDemand], list[Order]]:
    """Per order its units still to allocate (plus ``extra_units``), and the orders left out as past due."""
    demands, skipped = [], []
    # The crisis level in force today at each order's health center: the higher of its city's and province's.
    severity_at = severity_lookup(today)
    for order in orders:
        units = unallocated_releasable_units(order) + extra_units.get(order.pk, 0)
        if units <= 0:
            continue
        due = quota_due_date(order)
        if due <= today:
            skipped.append(order)  # stale: the coordinator extends or cancels it first
            continue
        demands.append(
            OrderDemand(
                order_id=order.pk,
                product_id=order.product_id,
                province_id=order.health_center.province_id,
                city_id=order.health_center.city_id,
                units=units,
                due_date=due,
                priority=order.priority,
                severity=severity_at(order.health_center.province_id, order.health_center.city_id),
                partial=units < order.quantity,
            )
        )
    return demands, skipped


def workshop_supplies(product_ids: set[int], today: dt.date) -> list[WorkshopSupply]:
    """Every verified workshop that makes one of the products, with its calendar and current load.

    Read as plain rows (four queries, no model instances): a country has tens of
    thousands of workshops and a commit reads this again inside the allocation's lock.
    """
    verified = Workshop.objects.filter(status=WorkshopStatus.VERIFIED).filter(
        Exists(WorkshopCapacity.objects.filter(workshop=OuterRef("pk"), product_id__in=product_ids))
    )
    rows = list(
        verified.order_by("pk").values_list(
            "pk", "province_id", "city_id", "working_weekdays", "is_woman_head_of_household"
        )
    )
    rates: dict[int, dict[int, int]] = defaultdict(dict)
    for workshop_id, product_id, per_day in WorkshopCapacity.objects.filter(workshop__in=verified).values_list(
        "workshop_id", "product_id", "units_per_day"
    ):
        rates[workshop_id][product_id] = per_day
    closed: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for workshop_id, start, end in WorkshopUnavailability.objects.filter(
        workshop__in=verified, end_date__gt=today
    ).values_list("workshop_id", "start_date", "end_date"):
        closed[workshop_id].append((start, end))
    loads: dict[int, list[ExistingLoad]] = defaultdict(list)
    for workshop_id, product_id, quantity, released, produced, due in Quota.objects.filter(
        workshop__in=verified,
        status__in=(QuotaStatus.OFFERED, QuotaStatus.ACCEPTED),
        produced_units__lt=F("quantity") - F("released_units"),
        # Overdue and due-today quotas too: their units are still owed and take the workshop's first days
        # (the engine counts a load due before tomorrow from day 0).
    ).values_list("workshop_id", "order__product_id", "quantity", "released_units", "produced_units", "due_date"):
        loads[workshop_id].append(
            ExistingLoad(product_id=product_id, units=quantity - released - produced, due_date=due)
        )
    return [
        WorkshopSupply(
            workshop_id=workshop_id,
            province_id=province_id,
            city_id=city_id,
            rates=rates[workshop_id],
            calendar=WorkCalendar(weekdays, tuple(sorted(closed[workshop_id]))),
            woman_head=woman_head,
            loads=tuple(loads[workshop_id]),
        )
        for workshop_id, province_id, city_id, weekdays, woman_head in rows
    ]


def engine_options() -> Options:
    return Options(min_quota=settings.HAMDELI_MIN_QUOTA_UNITS)
