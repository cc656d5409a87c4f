"""Supply seen from the coordinator's desk: committed and free capacity in a window.

A quota's remaining units are assumed to be made evenly over the workshop's
working days from tomorrow until the due date; the part of that falling in
the window is "committed". Free capacity is counted in workshop-days (time is
shared between products) and shown per product as "units of this product the
workshops could still make if they spent all their free days on it".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import F, QuerySet, prefetch_related_objects
from django.utils import timezone

from core.models import Product, Province
from workshops.calendar import WorkCalendar
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

from .models import Quota, QuotaStatus

SUPPLY_WINDOW_DAYS = 14
ACTIVE_QUOTA_STATUSES = (QuotaStatus.OFFERED, QuotaStatus.ACCEPTED)


@dataclass
class WorkshopLoad:
    working_days: int  # working days in the window
    committed_days: Fraction = Fraction(0)
    committed_units: dict[int, Fraction] = field(default_factory=lambda: defaultdict(Fraction))

    @property
    def free_days(self) -> Fraction:
        return max(Fraction(self.working_days) - self.committed_days, Fraction(0))

    @property
    def utilisation(self) -> float:
        """Share of the window's working days already committed (can exceed 1 when overbooked)."""
        return float(self.committed_days / self.working_days) if self.working_days else 0.0


def window(today: dt.date | None = None, days: int = SUPPLY_WINDOW_DAYS) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today + dt.timedelta(days=1), today + dt.timedelta(days=days)


def _calendars_and_rates(
    workshops: QuerySet[Workshop],
) -> tuple[dict[int, WorkCalendar], dict[int, dict[int, int]], QuerySet]:
    """Calendars and daily rates read as plain values, no model instances.

    Sorting or filtering the list by utilisation asks this for every workshop
    of the coordinator (10,000 on the bench world); building the workshops,
    owners, provinces, cities and capacities as objects was most of that time.
    """
    if not workshops.query.is_sliced:
        workshops = workshops.order_by()  # the list's ordering joins tables for nothing here
    pks = workshops.values("pk")
    closed: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    closures = WorkshopUnavailability.objects.filter(workshop__in=pks).order_by("workshop", "start_date")
    for workshop_id, start, end in closures.values_list("workshop_id", "start_date", "end_date"):
        closed[workshop_id].append((start, end))
    rates: dict[int, dict[int, int]] = defaultdict(dict)
    capacities = WorkshopCapacity.objects.filter(workshop__in=pks).order_by()
    for workshop_id, product_id, units in capacities.values_list("workshop_id", "product_id", "units_per_day"):
        rates[workshop_id][product_id] = units
    masks = workshops.values_list("pk", "working_weekdays")
    calendars = {pk: WorkCalendar(mask, tuple(closed.get(pk, ()))) for pk, mask in masks}
    return calendars, {pk: rates.get(pk, {}) for pk in calendars}, pks


def workshop_loads(
    workshops: QuerySet[Workshop] | Sequence[Workshop], today: dt.date | None = None
) -> dict[int, WorkshopLoad]:
    """Committed days and units per workshop over the next ``SUPPLY_WINDOW_DAYS`` days.

    ``workshops`` may be workshops already loaded (a list page's rows): their
    closures and capacities are then fetched only if not prefetched yet.
    """
    first, last = window(today)
    if isinstance(workshops, QuerySet):
        calendars, rates, chosen = _calendars_and_rates(workshops)
    else:
        workshops = list(workshops)
        prefetch_related_objects(workshops, "unavailable_ranges", "capacities")
        calendars = {w.pk: w.work_calendar() for w in workshops}
        rates = {w.pk: w.daily_rates() for w in workshops}
        chosen = list(calendars)
    loads = {pk: WorkshopLoad(working_days=calendar.working_days(first, last)) for pk, calendar in calendars.items()}
    quotas = Quota.objects.filter(
        workshop__in=chosen,
        status__in=ACTIVE_QUOTA_STATUSES,
        produced_units__lt=F("quantity") - F("released_units"),
        due_date__gte=first,
    ).values_list("workshop_id", "order__product_id", "quantity", "released_units", "produced_units", "due_date")
    for workshop_id, product_id, quantity, released, produced, due in quotas:
        quantity -= released  # a released remainder is someone else's work now
        calendar = calendars[workshop_id]
        days_until_due = calendar.working_days(first, due)
        if not days_until_due:
            continue
        share = Fraction(calendar.working_days(first, min(due, last)), days_until_due)
        units = (quantity - produced) * share
        load = loads[workshop_id]
        load.committed_units[product_id] += units
        rate = rates[workshop_id].get(product_id)
        if rate:
            load.committed_days += units / rate
    return loads


@dataclass(frozen=True)
class SupplyRow:
    province: Province
    product: Product
    workshops: int
    daily_capacity: int
    window_capacity: int
    committed: int
    free: int


def supply_summary(workshops: QuerySet[Workshop], today: dt.date | None = None) -> list[SupplyRow]:
    """Per province and product: verified workshops, daily and 14-day capacity, committed and free units."""
    verified = workshops.filter(status=WorkshopStatus.VERIFIED)
    loads = workshop_loads(verified, today)
    capacities = WorkshopCapacity.objects.filter(workshop__in=verified).select_related("product", "workshop__province")
    rows: dict[tuple[int, int], dict] = {}
    for capacity in capacities:
        workshop, load = capacity.workshop, loads[capacity.workshop_id]
        key = (workshop.province_id, capacity.product_id)
        row = rows.setdefault(
            key,
            {
                "province": workshop.province,
                "product": capacity.product,
                "workshops": 0,
                "daily": 0,
                "window": 0,
                "committed": Fraction(0),
                "free": Fraction(0),
            },
        )
        row["workshops"] += 1
        row["daily"] += capacity.units_per_day
        row["window"] += capacity.units_per_day * load.working_days
        row["committed"] += load.committed_units.get(capacity.product_id, Fraction(0))
        row["free"] += load.free_days * capacity.units_per_day
    return [
        SupplyRow(
            province=row["province"],
            product=row["product"],
            workshops=row["workshops"],
            daily_capacity=row["daily"],
            window_capacity=row["window"],
            committed=round(row["committed"]),
            free=int(row["free"]),
        )
        for row in sorted(rows.values(), key=lambda r: (r["province"].name_fa, r["product"].code))
    ]
