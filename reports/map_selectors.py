"""The measures of the province map (``reports.province_map``): one definition each, one grouped read each.

Every measure is *now* (not in the dashboard's period) and reads ``{province id: value}`` for the user's
provinces (``in_scope``; national coordinators and ``PUBLIC_AGGREGATES``: all). A province with nothing is left
out of the dict and shown as 0.

- **unmet need** (units): for every order not closed or cancelled (``FINAL_STATUSES``, as the funding gap),
  its quantity less the units already handed to workshops, never below zero. "Allocated" is the order page's
  and the allocation engine's (``orders.funding.allocated_units``, in SQL
  ``production.selectors.committed.allocated_units_expression``). Health center's province.
- **funding gap** (rials): the dashboard's chart "Funding gap by province"
  (``reports.dashboard_charts.open_order_gaps``): budget less confirmed funds, never below zero, of every
  order not closed or cancelled. (The donors' board offers a little less: it also subtracts pledges not yet
  received, and lists only open and funded orders.)
- **free sewing capacity** (workshop-days): ``production.supply.free_days_by_province``: verified workshops
  with a declared daily capacity, their working days over the next 14 days less the days their offered and
  accepted quotas take. Workshop's province.

- **need beyond free capacity** (workshop-days): where need exceeds capacity. Each open order's unmet units
  (as above) turned into workshop-days at its product's typical rate (the median units a day that verified
  workshops declare for it), summed by the health center's province, less the province's free sewing capacity
  (as above), never below zero: 0 where the province's own workshops could take its need in the next 14 days.
  Units of a product no verified workshop declares cannot be turned into days and are left out (the need measure
  still shows them).
- **crisis severity** (white/yellow/orange/red): the level in force today as the national coordinator declared
  it (``crisis.selectors.levels_by_province``; white where never declared). Not scoped: it is declared for
  everyone to act on; the map still colours only the reader's provinces. Categories, not amounts: its own
  colours, one per level, and the level's name instead of a number.

A new measure is one more ``Measure`` in ``MEASURES``: a key, names, a reader, and for a scale that is not
sequential its own ``colours``, ``step_of`` and ``value_text`` (as the severity).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.models import Province
from core.scoping import scope_by_province, sees_all_provinces
from crisis.models import SeverityLevel
from crisis.selectors import levels_by_province
from orders.models import Order
from orders.models.orders import FINAL_STATUSES
from production.models import Quota, QuotaStatus
from production.selectors.committed import ALLOCATING_QUOTA_STATUSES, allocated_units_expression
from production.supply import free_days_by_province
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus

from .dashboard_charts import open_order_gaps
from .selectors import in_scope, provinces_for

Values = dict[int, int]

# Light to dark (ColorBrewer "Blues", 5 classes): readable by the common colour-vision deficiencies and in greys.
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True)
class Measure:
    """One thing the map can colour provinces by."""

    key: str  # the ``?map=`` value
    label: Promise  # the name on the chooser, the legend's title and the table's column
    unit: Promise  # after a value in the description: "units", "rials"
    description: Promise
    read: Callable[[object], Values]  # user (or ``PUBLIC_AGGREGATES``) -> {province id: value}
    # For the public page: per province, how many workshops or donors the figure describes (``transparency.privacy``
    # hides a figure describing one to four). None: the measure is not shown in public at all.
    people: Callable[[], Values] | None = None
    colours: tuple[str, ...] = SEQUENTIAL
    # (value, largest value) -> index into ``colours``; None: the sequential scale of ``province_map.step_of``.
    step_of: Callable[[int, int], int] | None = None
    # A value in words (a category's name); None: a number. With it the legend names each colour.
    value_text: Callable[[int], str] | None = None


def _grouped(queryset: QuerySet, key: str, total) -> Values:
    rows = queryset.order_by().values(key).annotate(total=total).values_list(key, "total")
    return {province: int(value or 0) for province, value in rows if province is not None}


def _open_orders(user) -> QuerySet[Order]:
    return in_scope(Order.objects.exclude(status__in=FINAL_STATUSES), user, "health_center__province", None)


def unmet_need_by_province(user) -> Values:
    unmet = Greatest(F("quantity") - allocated_units_expression(), Value(0))
    return _grouped(_open_orders(user), "health_center__province", Sum(unmet))


def funding_gap_by_province(user) -> Values:
    return _grouped(open_order_gaps(user=user), "health_center__province", Sum("gap"))


def free_capacity_by_province(user) -> Values:
    free = free_days_by_province(scope_by_province(Workshop.objects.all(), user))
    return {province: int(days) for province, days in free.items()}


def typical_daily_rates() -> dict[int, float]:
    """Per product: the median units a day verified workshops declare (the yardstick from units to days)."""
    declared: dict[int, list[int]] = {}
    rows = WorkshopCapacity.objects.filter(workshop__status=WorkshopStatus.VERIFIED, units_per_day__gt=0)
    for product, rate in rows.order_by().values_list("product_id", "units_per_day"):
        declared.setdefault(product, []).append(rate)
    return {product: float(statistics.median(rates)) for product, rates in declared.items()}


def need_beyond_capacity_by_province(user) -> Values:
    unmet = Greatest(F("quantity") - allocated_units_expression(), Value(0))
    rows = (
        _open_orders(user)
        .order_by()
        .values("health_center__province", "product")
        .annotate(total=Sum(unmet))
        .values_list("health_center__province", "product", "total")
    )
    rates = typical_daily_rates()
    need_days: dict[int, float] = {}
    for province, product, units in rows:
        if units and product in rates:
            need_days[province] = need_days.get(province, 0.0) + units / rates[product]
    free = free_capacity_by_province(user)
    short = {province: math.ceil(days - free.get(province, 0)) for province, days in need_days.items()}
    return {province: days for province, days in short.items() if days > 0}


def severity_by_province(user) -> Values:
    return levels_by_province()


def severity_name(level: int) -> str:
    return str(SeverityLevel(level).label)


# The ministry's own colours for the levels, white to red (a thin border keeps a white tile visible).
SEVERITY_COLOURS = ("#ffffff", "#ffd92f", "#fd8d3c", "#d7301f")


def workshops_holding_open_orders() -> Values:
    """Per province of the health centers: workshops whose quotas count in the open orders' allocated units."""
    counted = Q(status__in=ALLOCATING_QUOTA_STATUSES) | Q(status=QuotaStatus.CANCELLED, produced_units__gt=0)
    quotas = Quota.objects.filter(counted).exclude(order__status__in=FINAL_STATUSES)
    return _grouped(quotas, "order__health_center__province", Count("workshop", distinct=True))


def workshops_with_capacity() -> Values:
    """Per province: the verified workshops whose free days ``free_capacity_by_province`` adds up."""
    declared = WorkshopCapacity.objects.filter(units_per_day__gt=0).values("workshop")
    workshops = Workshop.objects.filter(status=WorkshopStatus.VERIFIED, pk__in=declared)
    return _grouped(workshops, "province", Count("pk"))


MEASURES: tuple[Measure, ...] = (
    Measure(
        key="need",
        label=_("Unmet need (units)"),
        unit=_("units"),
        description=_(
            "Units ordered in orders not closed or cancelled that no workshop has been given yet "
            "(the health center's province)."
        ),
        read=unmet_need_by_province,
        people=workshops_holding_open_orders,
    ),
    Measure(
        key="funding",
        label=_("Funding gap (rials)"),
        unit=_("rials"),
        description=_("Today, for every order not closed or cancelled: budget less confirmed money."),
        read=funding_gap_by_province,
    ),
    Measure(
        key="capacity",
        label=_("Free sewing capacity (workshop-days)"),
        unit=_("workshop-days"),
        description=_(
            "Working days of verified workshops in the next 14 days not taken by offered or accepted quotas "
            "(the workshop's province)."
        ),
        read=free_capacity_by_province,
        people=workshops_with_capacity,
    ),
    Measure(
        key="shortfall",
        label=_("Need beyond free capacity (workshop-days)"),
        unit=_("workshop-days"),
        description=_(
            "Where need exceeds capacity: the open orders' unmet units in workshop-days (at each product's typical "
            "daily rate) less the province's free sewing capacity over the next 14 days; 0 where it is covered."
        ),
        read=need_beyond_capacity_by_province,
        people=workshops_with_capacity,
    ),
    Measure(
        key="severity",
        label=_("Crisis severity"),
        unit=_("level"),
        description=_("The crisis level in force today, as the national coordinator declared it."),
        read=severity_by_province,
        colours=SEVERITY_COLOURS,
        step_of=lambda level, _top: min(max(level, 0), len(SEVERITY_COLOURS) - 1),
        value_text=severity_name,
    ),
)
DEFAULT_MEASURE = MEASURES[0]


def measure_for(key: str | None, *, public: bool = False) -> Measure:
    """The measure named ``key``; the first one for an unknown key (or one not shown in public)."""
    for measure in measures(public=public):
        if measure.key == key:
            return measure
    return DEFAULT_MEASURE


def measures(*, public: bool = False) -> list[Measure]:
    return [measure for measure in MEASURES if measure.people is not None or not public]


def map_provinces() -> list[Province]:
    """All 31 provinces (a tile each, also those outside the user's provinces)."""
    return list(Province.objects.order_by("name_fa").only("pk", "code", "name_fa", "name_en"))


def province_ids_for(user) -> set[int] | None:
    """The provinces whose figures the user may see (the dashboard's province filter's choices); None: all of them
    (national coordinators: no query)."""
    if sees_all_provinces(user):
        return None
    return set(provinces_for(user).values_list("pk", flat=True))
