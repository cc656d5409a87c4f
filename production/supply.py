"""Supply seen from the coordinator's desk: committed and free capacity in a window.

A quota's remaining units are assumed to be made evenly over the workshop's
working days from tomorrow until the due date; the part of that falling in
the window is "committed". Free capacity is counted in workshop-days (time is
shared between products) and shown per product as "units of this product the
workshops could still make if they spent all their free days on it".
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, F, Q, QuerySet, Sum, prefetch_related_objects
from django.utils import timezone

from core.library_seams import is_sliced
from core.models import Product, Province
from workshops.calendar import WorkCalendar
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus, WorkshopUnavailability

from .models import Quota, QuotaStatus

SUPPLY_WINDOW_DAYS = 14
ZERO = Fraction(0)
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
    if not is_sliced(workshops):
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


def _active_quotas(first: dt.date) -> QuerySet[Quota]:
    """Quotas that commit time from ``first`` on: offered or accepted, units still to make, not due before."""
    return Quota.objects.filter(
        status__in=ACTIVE_QUOTA_STATUSES,
        produced_units__lt=F("quantity") - F("released_units"),
        due_date__gte=first,
    )


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
    quotas = (
        _active_quotas(first)
        .filter(workshop__in=chosen)
        .values_list("workshop_id", "order__product_id", "quantity", "released_units", "produced_units", "due_date")
    )
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


@dataclass
class _Totals:
    """One summary row being added up: committed and free units stay exact, as numerators per denominator."""

    workshops: int = 0
    daily: int = 0
    window: int = 0
    committed_parts: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    free_parts: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, *, units_per_day: int, working_days: int, committed: Fraction, free: Fraction) -> None:
        self.workshops += 1
        self.daily += units_per_day
        self.window += units_per_day * working_days
        self.committed_parts[committed.denominator] += committed.numerator
        self.free_parts[free.denominator] += free.numerator

    @property
    def committed(self) -> Fraction:
        return _exact_sum(self.committed_parts)

    @property
    def free(self) -> Fraction:
        return _exact_sum(self.free_parts)


def _exact_sum(parts: dict[int, int]) -> Fraction:
    """The sum of ``numerator / denominator`` over ``{denominator: numerator}``, over one common denominator.

    Adding Fractions one by one reduces every partial sum; a summary row has thousands of terms.
    """
    if not parts:
        return Fraction(0)
    common = math.lcm(*parts)
    return Fraction(sum(part * (common // denominator) for denominator, part in parts.items()), common)


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
    """Per province and product: verified workshops, daily and 14-day capacity, committed and free units.

    Most workshops have no quota in the window and no closure in it: their
    committed units are 0 and their free days are their weekdays in the
    window, which depend on the weekday mask only. Those are added up by the
    database per province, product and mask; only the busy ones (about a third
    on the bench world) go through ``workshop_loads``. Loading every capacity
    with its product and province as objects took ~1.2 s on the bench world.
    """
    first, last = window(today)
    verified = workshops.filter(status=WorkshopStatus.VERIFIED).order_by()
    closures = WorkshopUnavailability.objects.filter(start_date__lte=last, end_date__gte=first)
    is_busy = Q(pk__in=_active_quotas(first).values("workshop")) | Q(pk__in=closures.values("workshop"))
    busy = verified.filter(is_busy)
    totals: dict[tuple[int, int], _Totals] = defaultdict(_Totals)

    loads = workshop_loads(busy, today)
    free_days = {workshop_id: load.free_days for workshop_id, load in loads.items()}
    for workshop_id, province_id, product_id, units in busy.values_list(
        "pk", "province_id", "capacities__product_id", "capacities__units_per_day"
    ):
        if product_id is None:  # no capacity declared: the workshop is in no row
            continue
        load = loads[workshop_id]
        totals[(province_id, product_id)].add(
            units_per_day=units,
            working_days=load.working_days,
            committed=load.committed_units.get(product_id, ZERO),
            free=free_days[workshop_id] * units,
        )

    idle = (
        verified.exclude(is_busy)
        .values_list("province_id", "capacities__product_id", "working_weekdays")
        .annotate(count=Count("capacities"), daily=Sum("capacities__units_per_day"))
    )
    mask_days: dict[int, int] = {}
    for province_id, product_id, mask, count, daily in idle:
        if product_id is None:  # workshops without a declared capacity
            continue
        if mask not in mask_days:
            mask_days[mask] = WorkCalendar(mask).working_days(first, last)
        row = totals[(province_id, product_id)]
        row.workshops += count
        row.daily += daily
        row.window += daily * mask_days[mask]
        row.free_parts[1] += daily * mask_days[mask]  # nothing committed: every working day is free

    provinces = Province.objects.in_bulk({province_id for province_id, _ in totals})
    products = Product.objects.in_bulk({product_id for _, product_id in totals})
    rows = [
        SupplyRow(
            province=provinces[province_id],
            product=products[product_id],
            workshops=row.workshops,
            daily_capacity=row.daily,
            window_capacity=row.window,
            committed=round(row.committed),
            free=int(row.free),
        )
        for (province_id, product_id), row in totals.items()
    ]
    return sorted(rows, key=lambda row: (row.province.name_fa, row.product.code))


def free_days_by_province(workshops: QuerySet[Workshop], today: dt.date | None = None) -> dict[int, Fraction]:
    """Per province: the free workshop-days of ``workshops`` over the next ``SUPPLY_WINDOW_DAYS`` days.

    The one definition of "free sewing capacity" (the province map's measure): verified
    workshops that declared a daily capacity above zero, each adding its working days in the
    window less the days its offered and accepted quotas take there (``WorkshopLoad.free_days``,
    as in ``supply_summary``). Days, not units: a workshop's time is shared between products, so
    units of different products cannot be added up. Idle workshops (no quota, no closure in
    the window) are counted by the database per province and weekday mask, as in ``supply_summary``.
    """
    first, last = window(today)
    declared = WorkshopCapacity.objects.filter(units_per_day__gt=0).values("workshop")
    verified = workshops.filter(status=WorkshopStatus.VERIFIED, pk__in=declared).order_by()
    closures = WorkshopUnavailability.objects.filter(start_date__lte=last, end_date__gte=first)
    is_busy = Q(pk__in=_active_quotas(first).values("workshop")) | Q(pk__in=closures.values("workshop"))
    busy = verified.filter(is_busy)
    free: dict[int, Fraction] = defaultdict(Fraction)
    loads = workshop_loads(busy, today)
    for workshop_id, province_id in busy.values_list("pk", "province_id"):
        free[province_id] += loads[workshop_id].free_days
    idle = verified.exclude(is_busy).values_list("province_id", "working_weekdays").annotate(count=Count("pk"))
    for province_id, mask, count in idle:
        free[province_id] += count * WorkCalendar(mask).working_days(first, last)
    return dict(free)
