"""What the public results page shows, read once per period and kept in the cache for a few minutes.

The figures are the coordinator dashboard's (``reports.dashboard``: the same definitions, so a figure never means
one thing on the dashboard and another in public), read over every province (``PUBLIC_AGGREGATES``) and then
protected (``transparency.privacy``): production rows and days of money that describe fewer than five workshops
or donors are merged. Names of donors and workshops are never read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import page_is_persian
from core.permissions import PUBLIC_AGGREGATES
from donors.ledger.seals import latest_seal
from donors.ledger.selectors import ledger_totals, order_applied_funds_expression
from donors.models import EntryKind, LedgerDaySeal, LedgerEntry
from fulfilment.selectors.progress import with_delivered_units
from orders.models import Order
from orders.models.orders import UNFULFILLED_STATUSES
from reports.dashboard import Figures, figure_rows, total_of
from reports.map_selectors import map_provinces, measure_for, measures
from reports.periods import DashboardPeriod, midnight
from reports.province_map import ProvinceMap, build_map

from .privacy import MINIMUM, MoneyDay, protected_days, protected_rows

CACHE_SECONDS = 300
SEALS_SHOWN = 14


@dataclass
class PublicResults:
    period: DashboardPeriod
    total: Figures
    need_rows: list[Figures]  # per province of the health centers: need, funded, delivered, confirmed
    production_rows: list[Figures]  # per province of the workshops, merged where fewer than five
    production_other: Figures | None
    product_rows: list[Figures]
    product_other: Figures | None
    money_days: list[MoneyDay]
    donors: int
    workshops_paid: int
    received_rials: int | None  # None: fewer than five donors gave in the period
    paid_rials: int | None
    refunded_rials: int | None
    held_rials: int | None  # in campaigns and orders now, not yet paid to workshops (None: fewer than five donors)
    seals: list[LedgerDaySeal]

    @property
    def production_shown(self) -> bool:
        """The national production figures describe at least five workshops (or none)."""
        return not 0 < self.total.workshops_active < MINIMUM

    @property
    def woman_headed_percent(self) -> int | None:
        if self.total.workshops_active < MINIMUM:
            return None
        return round(100 * self.total.woman_headed_workshops_active / self.total.workshops_active)


def campaign_period(today: dt.date | None = None) -> DashboardPeriod:
    """From the day of the first order to today: the whole campaign so far."""
    today = today or timezone.localdate()
    first = Order.objects.order_by("created_at").values_list("created_at", flat=True).first()
    start = timezone.localtime(first).date() if first else today
    return DashboardPeriod(min(start, today), today)


def _merge(name: str):
    def merge(rows: list[Figures]) -> Figures:
        merged = total_of(rows)
        merged.name = name
        return merged

    return merge


def _money_days(period: DashboardPeriod) -> list[MoneyDay]:
    entries = (
        LedgerEntry.objects.filter(
            kind__in=(EntryKind.RECEIVED, EntryKind.PAYOUT, EntryKind.REFUNDED),
            created_at__gte=midnight(period.start),
            created_at__lt=midnight(period.end + dt.timedelta(days=1)),
        )
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "kind", "from_donor", "to_donor", "to_workshop", "amount_rials")
        .order_by("day")
    )
    days: dict[dt.date, MoneyDay] = {}
    for day, kind, donor, refunded_donor, workshop, amount in entries:
        current = days.setdefault(day, MoneyDay(day, day))
        if kind == EntryKind.RECEIVED:
            move = MoneyDay(day, day, received_rials=amount, donors=frozenset({donor}))
        elif kind == EntryKind.REFUNDED:
            move = MoneyDay(day, day, donors=frozenset({refunded_donor}), refunded_rials=amount)
        else:
            move = MoneyDay(day, day, paid_rials=amount, workshops=frozenset({workshop}))
        days[day] = current.joined(move)
    return [days[day] for day in sorted(days)]


def _held_now() -> int | None:
    """What campaigns and orders hold today (``ledger_totals``), once five donors stand behind the ledger."""
    givers = LedgerEntry.objects.filter(kind=EntryKind.RECEIVED).values("from_donor").distinct().count()
    if givers < MINIMUM:
        return None
    totals = ledger_totals()
    return totals.held_in_campaigns + totals.held_in_orders


def _read(period: DashboardPeriod) -> PublicResults:
    provinces, products = figure_rows(user=PUBLIC_AGGREGATES, period=period)
    production, production_other = protected_rows(
        [row for row in provinces if row.workshops_active or row.produced_units],
        people=lambda row: row.workshops_active,
        merge=_merge(_("Other provinces together")),
    )
    by_product, product_other = protected_rows(
        products,  # need and delivery columns too: a product nobody sewed describes no workshop
        people=lambda row: row.workshops_active,
        merge=_merge(_("Other products together")),
    )
    days = _money_days(period)
    all_days = MoneyDay(period.start, period.end)
    for day in days:
        all_days = all_days.joined(day)
    seals = list(LedgerDaySeal.objects.order_by("-day")[:SEALS_SHOWN]) if latest_seal() else []
    return PublicResults(
        period=period,
        total=total_of(provinces),
        need_rows=[row for row in provinces if row.demand_units or row.releasable_units or row.delivered_units],
        production_rows=production,
        production_other=production_other,
        product_rows=by_product,
        product_other=product_other,
        money_days=protected_days(days),
        donors=len(all_days.donors),
        workshops_paid=len(all_days.workshops),
        received_rials=all_days.received_rials if len(all_days.donors) >= MINIMUM else None,
        paid_rials=all_days.paid_rials if len(all_days.workshops) >= MINIMUM else None,
        refunded_rials=all_days.refunded_rials if len(all_days.donors) >= MINIMUM else None,
        held_rials=_held_now(),
        seals=seals,
    )


def public_results(period: DashboardPeriod) -> PublicResults:
    """The page's figures for ``period``, from the cache when read in the last five minutes."""
    key = f"transparency:results:{period.start.isoformat()}:{period.end.isoformat()}"
    return cache.get_or_set(key, lambda: _read(period), CACHE_SECONDS)


# --- The province map ------------------------------------------------------------------------------------------


def _map_figures(key: str) -> tuple[list, dict[int, int], set[int]]:
    measure = measure_for(key, public=True)
    people = measure.people() if measure.people else {}
    hidden = {province for province, count in people.items() if 0 < count < MINIMUM}
    values = {province: value for province, value in measure.read(PUBLIC_AGGREGATES).items() if province not in hidden}
    return map_provinces(), values, hidden


def public_province_map(key: str | None, *, link_to_board: bool = True) -> ProvinceMap:
    """The results page's map: only the measures that have a ``people`` count (not money: a province's funding gap
    would show what its few donors gave), each province's figure hidden where it describes one to four workshops
    (``transparency.privacy``'s rule). With ``link_to_board`` (visitors who may give) tiles link to the funding
    board filtered to the province. Cached as the page."""
    measure = measure_for(key, public=True)
    provinces, values, hidden = cache.get_or_set(
        f"transparency:map:{measure.key}", lambda: _map_figures(measure.key), CACHE_SECONDS
    )
    board = reverse("giving:board")
    province_map = build_map(
        measure,
        provinces,
        values,
        hidden=hidden,
        url_for=(lambda province: f"{board}?province={province.pk}") if link_to_board else None,
        persian=page_is_persian(),
    )
    return replace(province_map, choices=tuple(measures(public=True)))


# --- Open data: need by province and product ------------------------------------------------------------------


@dataclass(frozen=True)
class NeedRow:
    province_code: str
    province: str
    province_en: str
    product_code: str
    product: str
    product_en: str
    open_orders: int
    units_needed: int
    units_funded: int
    units_delivered: int

    @property
    def units_unmet(self) -> int:
        """Units needed that health centers have not received yet."""
        return self.units_needed - self.units_delivered


def need_by_area(province_code: str | None = None, product_code: str | None = None) -> list[NeedRow]:
    """Orders still waiting for goods (``UNFULFILLED_STATUSES``) added up per province and product.

    Funded units are what each order's money in the ledger pays for (``orders.funding``'s rule, whole units, at
    most the quantity); delivered units what receivers accepted (``fulfilment.selectors.progress``). Public
    figures, kept in the cache for five minutes like the results page (each order's money is a ledger sum: about
    90 ms for 2,000 open orders, bench/pages.py).
    """
    key = f"transparency:need:{province_code or ''}:{product_code or ''}"
    return cache.get_or_set(key, lambda: _need_by_area(province_code, product_code), CACHE_SECONDS)


def _need_by_area(province_code: str | None, product_code: str | None) -> list[NeedRow]:
    orders = with_delivered_units(Order.objects.filter(status__in=UNFULFILLED_STATUSES))
    if province_code:
        orders = orders.filter(health_center__province__code=province_code)
    if product_code:
        orders = orders.filter(product__code=product_code)
    rows = orders.annotate(funds=order_applied_funds_expression()).values_list(
        "health_center__province__code",
        "health_center__province__name_fa",
        "health_center__province__name_en",
        "product__code",
        "product__name_fa",
        "product__name_en",
        "quantity",
        "unit_cost_rials",
        "funds",
        "delivered_units",
    )
    totals: dict[tuple, list] = {}
    for *names, quantity, unit_cost, funds, delivered in rows.order_by():
        row = totals.setdefault(tuple(names), [0, 0, 0, 0])
        row[0] += 1
        row[1] += quantity
        row[2] += min(max(int(funds or 0), 0) // unit_cost, quantity) if unit_cost else 0
        row[3] += min(int(delivered or 0), quantity)
    return [NeedRow(*key, *values) for key, values in sorted(totals.items())]
