"""Lists that need a coordinator's action, for the dashboard: each item links to the page where it is fixed.

These are *now* lists (not bound to the dashboard's period), in the user's
provinces, or in the chosen province:

- **orders with paid-for units no workshop has**: not closed or cancelled, and
  ``min(floor(confirmed funds / unit cost), quantity)`` above the allocated
  units (``orders.funding``) -> the order (and the allocation desk);
- **orders behind pace**: orders with at least one quota behind pace;
- **orders past their needed-by date** (``orders.selectors.stale_orders``);
- **quotas behind pace**: accepted quotas with units still to make whose
  output is below what their working days so far called for
  (``production.selectors.quotas.quotas_behind_pace``), by the workshop's
  province -> the workshop's page;
- **disputed deliveries** -> the delivery;
- **pledges waiting for confirmation** (pledged, not yet received): pledges to
  the user's provinces' orders, and campaign pledges (campaigns have no
  province: shown only when no province is chosen) -> the pledge;
- **workshops waiting for verification** -> the workshop.

Each list shows at most ``ACTION_LIMIT`` items with the total and, where a
list page can be filtered to the same rows, a "see all" link to it.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jalali
from core.i18n import page_is_persian
from core.models import Province
from core.persian import ui_number
from core.templatetags.persian import code_text, sep
from donors.models import PledgeStatus
from donors.selectors import pledges_waiting
from fulfilment.models import DeliveryStatus
from fulfilment.selectors.deliveries import disputed_deliveries
from orders.funding import with_unallocated_units
from orders.models import Order
from orders.models.orders import FINAL_STATUSES
from orders.selectors import stale_orders
from production.models import Quota
from production.selectors.quotas import BehindQuota, quotas_behind_pace
from workshops.models import WorkshopStatus
from workshops.selectors import workshops_waiting_for_verification

from .selectors import in_scope

ACTION_LIMIT = 10


@dataclass(frozen=True)
class ActionItem:
    label: str
    detail: str
    url: str


@dataclass
class ActionList:
    key: str
    title: str
    items: list[ActionItem] = field(default_factory=list)
    total: int = 0
    see_all_url: str | None = None

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


def _url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def _date(value: dt.date) -> str:
    return jalali.format_short(value, persian=page_is_persian())


def _capped(key: str, title: str, queryset: QuerySet, item, see_all_url: str | None = None) -> ActionList:
    # The total rides on every row (a count over the whole filtered list, before the limit): one query
    # instead of a count and a slice, each working out the list's filter (for some, sums per order) again.
    rows = list(queryset.annotate(list_total=Window(Count("pk")))[:ACTION_LIMIT])
    total = rows[0].list_total if rows else 0
    return ActionList(key, title, [item(row) for row in rows], total, see_all_url)


def _order_item(order: Order, detail: str) -> ActionItem:
    return ActionItem(
        sep().join([code_text(order.number), order.health_center.name, str(order.product)]),
        detail,
        reverse("orders:detail", args=[order.pk]),
    )


def _unallocated_orders(user, province) -> ActionList:
    orders = in_scope(
        Order.objects.select_related("health_center", "product").exclude(status__in=FINAL_STATUSES),
        user,
        "health_center__province",
        province,
    )
    orders = with_unallocated_units(orders).filter(unallocated__gt=0).order_by("needed_by", "pk")

    def item(order):
        units = ui_number(order.unallocated)
        return _order_item(order, _("%(units)s paid-for units not given to any workshop") % {"units": units})

    return _capped("unallocated", _("Funded but not allocated"), orders, item, reverse("orders:allocation"))


def _stale_orders(user, province, today: dt.date) -> ActionList:
    orders = in_scope(
        Order.objects.select_related("health_center", "product"), user, "health_center__province", province
    )
    orders = stale_orders(orders, today).order_by("needed_by", "pk")

    def item(order):
        return _order_item(order, _("Needed by %(date)s") % {"date": _date(order.needed_by)})

    see_all = _url("orders:list", stale="yes", province=province.pk if province else None)
    return _capped("stale", _("Past their needed-by date"), orders, item, see_all)


# Quotas behind pace, per query, for the duration of one ``action_lists`` call.
_behind_cache: ContextVar[dict | None] = ContextVar("behind_quotas", default=None)


def _behind_quotas(queryset: QuerySet, today: dt.date) -> list[BehindQuota]:
    """``quotas_behind_pace`` of ``queryset``; the same query twice in one ``action_lists`` call is answered once."""
    # Whole country or one province: both lists read the same quotas, so the page works them out once.
    cache = _behind_cache.get()
    if cache is None:
        return quotas_behind_pace(queryset, today)
    key = (str(queryset.query), today)
    if key not in cache:
        cache[key] = quotas_behind_pace(queryset, today)
    return cache[key]


def _quotas_behind(user, province, today: dt.date) -> ActionList:
    behind = _behind_quotas(in_scope(Quota.objects.all(), user, "workshop__province", province), today)
    shown = behind[:ACTION_LIMIT]
    quotas = Quota.objects.select_related("workshop", "order__product").in_bulk([item.quota_id for item in shown])
    items = []
    for item in shown:
        quota = quotas[item.quota_id]
        items.append(
            ActionItem(
                sep().join([quota.workshop.name, code_text(quota.order.number), str(quota.order.product)]),
                _("%(produced)s of %(expected)s units expected by now; due %(date)s")
                % {
                    "produced": ui_number(quota.produced_units),
                    "expected": ui_number(item.expected_by_now),
                    "date": _date(quota.due_date),
                },
                reverse("supply:workshop-detail", args=[quota.workshop_id]),
            )
        )
    return ActionList("quotas_behind", _("Quotas behind pace"), items, len(behind))


def _orders_behind(user, province, today: dt.date) -> ActionList:
    behind = _behind_quotas(in_scope(Quota.objects.all(), user, "order__health_center__province", province), today)
    counts: dict[int, int] = {}
    needed_by: dict[int, dt.date] = {}
    for item in behind:
        counts[item.order_id] = counts.get(item.order_id, 0) + 1
        needed_by[item.order_id] = item.needed_by
    ordered = sorted(counts, key=lambda order_id: (needed_by[order_id], order_id))
    orders = Order.objects.select_related("product", "health_center").in_bulk(ordered[:ACTION_LIMIT])
    items = [
        _order_item(orders[order_id], _("%(count)s quotas behind pace") % {"count": ui_number(counts[order_id])})
        for order_id in ordered[:ACTION_LIMIT]
    ]
    return ActionList("orders_behind", _("Allocated but behind pace"), items, len(ordered))


def _disputed_deliveries(user, province) -> ActionList:
    deliveries = disputed_deliveries(user, province).order_by("confirmed_at", "pk")

    def item(delivery):
        return ActionItem(
            sep().join([code_text(delivery.code), delivery.health_center.name]),
            _("Planned for %(date)s") % {"date": _date(delivery.planned_date)},
            reverse("deliveries:detail", args=[delivery.pk]),
        )

    see_all = _url("deliveries:list", status=DeliveryStatus.DISPUTED, province=province.pk if province else None)
    return _capped("disputed", _("Disputed deliveries"), deliveries, item, see_all)


def _pledges_waiting(user, province) -> ActionList:
    pledges = pledges_waiting(user, province).order_by("created_at", "pk")

    def item(pledge):
        return ActionItem(
            f"{pledge.donor} → {code_text(pledge.order.number) if pledge.order_id else pledge.campaign}",
            _("%(amount)s rials pledged on %(date)s")
            % {"amount": ui_number(pledge.amount_rials), "date": _date(timezone.localtime(pledge.created_at).date())},
            reverse("donations:pledge-detail", args=[pledge.pk]),
        )

    see_all = _url("donations:pledge-list", status=PledgeStatus.PLEDGED)
    return _capped("pledges", _("Pledges waiting for confirmation"), pledges, item, see_all)


def _workshops_pending(user, province) -> ActionList:
    workshops = workshops_waiting_for_verification(user, province).order_by("created_at", "pk")

    def item(workshop):
        return ActionItem(
            sep().join([workshop.name, str(workshop.city)]),
            _("Registered on %(date)s") % {"date": _date(timezone.localtime(workshop.created_at).date())},
            reverse("supply:workshop-detail", args=[workshop.pk]),
        )

    see_all = _url("supply:workshop-list", status=WorkshopStatus.PENDING, province=province.pk if province else None)
    return _capped("workshops", _("Workshops waiting for verification"), workshops, item, see_all)


def action_lists(*, user, province: Province | None = None, today: dt.date | None = None) -> list[ActionList]:
    today = today or timezone.localdate()
    token = _behind_cache.set({})
    try:
        return [
            _unallocated_orders(user, province),
            _orders_behind(user, province, today),
            _stale_orders(user, province, today),
            _quotas_behind(user, province, today),
            _disputed_deliveries(user, province),
            _pledges_waiting(user, province),
            _workshops_pending(user, province),
        ]
    finally:
        _behind_cache.reset(token)
