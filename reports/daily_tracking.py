"""Keeping the daily figures equal to the raw rows: the (day, province) keys a transaction touched are recomputed
after its commit.

The rooms below may not import reports, so reports listens: ``post_save`` /
``post_delete`` of every raw row a figure reads (orders, quotas, output
reports, pickups and their lines, deliveries and their lines, ledger entries,
a workshop whose province or women-headed flag changed) mark the days the row
falls on, before and after the change, each with the province the figures it
feeds are keyed by (``reports.daily_figures.recompute``): the health center's
for an order, its quotas' allocated units, a delivery and the order money of
the ledger; the workshop's for output, pickups and payouts; both the old and
the new one of a row or workshop that changed province. After the commit
``flush`` recomputes those keys, every product of each (day, province), and
leaves the figures of other provinces as they are: a pickup in one province
no longer recomputes the whole country's day, nor holds the figures' lock that
long. Where a receiver cannot tell the province (a row it cannot find any
more), and for writes that bypass those signals and announce only days (bulk
loaders: ``core.signals.figures_changed`` without ``provinces``; the
allocation's COPY of quotas names its orders' provinces), it marks the whole
day, every province. A rolled back write only costs a
needless recomputation. The one hot path, a new output report (the evening
peak), marks only its (day, quota): after the commit the produced units and
activity of that day's (workshop's province, product) are recomputed from that
key's reports, and the report's own transaction runs no extra statement.

A read of the figures (``flush`` in ``reports.dashboard``) first recomputes what
its own transaction marked, so a page sees its own writes (and a test, whose
transaction never commits, sees its rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from core.signals import figures_changed
from donors.ledger.selectors import ORDER_INFLOW_KINDS, ORDER_OUTFLOW_KINDS
from donors.models import EntryKind, LedgerEntry
from fulfilment.models import Delivery, DeliveryLine, Pickup, PickupLine
from orders.models import Order
from production.models import OutputReport, Quota
from workshops.models import Workshop

from .daily_figures import Days, refresh, refresh_output
from .daily_output import add_output
from .daily_provinces import (
    delivery_province,
    order_province,
    orders_provinces,
    pickup_province,
    quota_order_province,
    quota_workshop,
    workshop_province,
)

PENDING = "_hamdeli_daily_figure_days"
# Order fields a day's figures read besides its creation day: they change the releasable units of every day
# the order got money.
ORDER_MONEY_FIELDS = {"quantity", "unit_cost_rials", "health_center", "health_center_id", "product", "product_id"}
# Quota fields ``committed_units_expression`` reads (and ``produced_units``, for cancelled quotas).
QUOTA_ALLOCATED_FIELDS = {"status", "quantity", "released_units", "offered_at", "order", "order_id"}
DELIVERY_MOMENTS = ("dispatched_at", "delivered_at", "confirmed_at")


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def _pending(using: str) -> dict[str, set]:
    connection = connections[using]
    pending = getattr(connection, PENDING, None)
    if pending is None:
        pending = {"days": set(), "keys": set(), "workshops": set(), "output": set()}
        setattr(connection, PENDING, pending)
    return pending


def _later(using: str) -> None:
    # One callback per mark: after a rollback the earlier ones are gone; the first to run empties the sets.
    transaction.on_commit(lambda: flush(using), using=using, robust=True)


def mark(
    days: Iterable[dt.date | None],
    provinces: Iterable[int | None] | None = None,
    workshops: Iterable[int] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Recompute the keys ``days × provinces`` after the current transaction commits (at once outside one).

    ``provinces`` None, or with None among them (a province the receiver could not find): the whole days. Health
    centers and workshops always have a province, so a None here is never a key of its own. ``workshops``: the
    rows are keyed by these workshops' province, read again at the flush too (see ``flush``)."""
    days = {day for day in days if day is not None}
    if not days:
        return
    if provinces is not None:
        provinces = set(provinces)
        if not provinces:
            return  # the row feeds no figure (money between donors and campaigns)
        if None not in provinces:
            pending = _pending(using)
            pending["keys"].update((day, province) for day in days for province in provinces)
            pending["workshops"].update((day, workshop) for day in days for workshop in workshops if workshop)
            _later(using)
            return
    _pending(using)["days"].update(days)
    _later(using)


def mark_output(key: tuple, using: str = DEFAULT_DB_ALIAS) -> None:
    """Recompute only the produced units and activity of ``(day, quota)``'s key (the day, the quota's workshop's
    province and product) after the commit."""
    _pending(using)["output"].add(key)
    _later(using)


def flush(using: str = DEFAULT_DB_ALIAS) -> None:
    """Recompute what was marked, now (a reader calls this first: the marks of its own transaction)."""
    pending = getattr(connections[using], PENDING, None)
    if not pending or not any(pending.values()):
        return
    days, keys, outputs = set(pending["days"]), set(pending["keys"]), set(pending["output"])
    workshops = set(pending["workshops"])
    for marks in pending.values():
        marks.clear()
    try:
        if days:
            refresh(Days.of(days))
        if workshops:
            # The province a row's workshop has now, after this commit, as well as the one read in the transaction:
            # a move that committed meanwhile (its days were read before this row was) takes the row with it.
            now = Workshop.objects.filter(pk__in={workshop for _, workshop in workshops}).order_by()
            now = dict(now.values_list("pk", "province"))
            keys |= {(day, now[workshop]) for day, workshop in workshops if workshop in now}
        keys = {(day, province) for day, province in keys if day not in days}  # else the whole day has them
        # One recomputation of every marked day in every marked province: a transaction usually marks one day or
        # one province, and one recomputation keeps a moved workshop's two provinces together.
        key_days, provinces = {day for day, _ in keys}, frozenset(province for _, province in keys)
        if keys:
            refresh(Days.of(key_days), provinces)
        if outputs:
            quotas = Quota.objects.filter(pk__in={quota for _, quota in outputs}).order_by()
            where = {
                pk: (province, product)
                for pk, province, product in quotas.values_list("pk", "workshop__province", "order__product")
            }
            wanted = {(day, *where[quota]) for day, quota in outputs if quota in where}
            for day, province, product in sorted(wanted, key=str):
                if day in days or (day in key_days and province in provinces):
                    continue  # recomputed above
                refresh_output(day, province, product)
    except Exception:
        pending["days"].update(days)  # tried again by the next flush
        pending["keys"].update(keys)
        pending["workshops"].update(workshops)
        pending["output"].update(outputs)
        raise


def _changes(update_fields, fields: set[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def _ledger_days(condition: Q) -> set[dt.date]:
    entries = LedgerEntry.objects.filter(condition).annotate(day=TruncDate("created_at"))
    return set(entries.order_by().values_list("day", flat=True).distinct())


# --- Receivers ------------------------------------------------------------------------------------------------


def _remember(instance, model, fields: tuple[str, ...], update_fields, watched: set[str] | None = None) -> None:
    """Before an update of any of ``watched`` (default: ``fields``): the row's stored values of ``fields`` (its
    old days and province), on the instance."""
    instance._daily_before = None
    if instance.pk is not None and _changes(update_fields, watched or set(fields)):
        instance._daily_before = model.objects.filter(pk=instance.pk).values_list(*fields).first()


def _order_before(sender, instance: Order, update_fields, raw=False, **kwargs):
    if not raw:  # an order does not change health center; if it did, its old province is recomputed too
        watched = {"health_center", "health_center_id"}
        _remember(instance, Order, ("health_center__province",), update_fields, watched)


def _order_saved(sender, instance: Order, created, update_fields, raw=False, **kwargs):
    if raw:
        return
    days = {local_day(instance.created_at)}
    if not created and _changes(update_fields, ORDER_MONEY_FIELDS):
        days |= _ledger_days(Q(to_order=instance.pk) | Q(from_order=instance.pk))
    before = getattr(instance, "_daily_before", None) or ()
    mark(days, {order_province(instance), *before})


def _order_deleted(sender, instance: Order, **kwargs):
    mark({local_day(instance.created_at)}, {order_province(instance)})


def _quota_before(sender, instance: Quota, update_fields, raw=False, **kwargs):
    if not raw:  # a quota keeps its order and offer time; if either changed, the old key is recomputed too
        fields = ("offered_at", "order__health_center__province")
        _remember(instance, Quota, fields, update_fields, {"offered_at", "order", "order_id"})


def _quota_changed(sender, instance: Quota, raw=False, update_fields=None, **kwargs):
    """Its allocated units, keyed by its order's health center's province."""
    if raw:
        return
    if update_fields is not None:
        # Its counters move with every report and pickup; "allocated" reads them only for a cancelled quota.
        fields = set(update_fields)
        counted = fields & QUOTA_ALLOCATED_FIELDS or ("produced_units" in fields and instance.status == "cancelled")
        if not counted:
            return
    before = getattr(instance, "_daily_before", None) if kwargs.get("signal") is post_save else None
    days, provinces = {local_day(instance.offered_at)}, {quota_order_province(instance)}
    if before:
        days.add(local_day(before[0]))
        provinces.add(before[1])
    mark(days, provinces)


def _report_before(sender, instance: OutputReport, update_fields, raw=False, **kwargs):
    if not raw:
        fields = ("report_date", "quota", "quota__workshop__province")
        _remember(instance, OutputReport, fields, update_fields, {"report_date", "quota", "quota_id"})


def _report_changed(sender, instance: OutputReport, raw=False, **kwargs):
    """A new or corrected report on the same day changes only its own key's produced units and activity (the hot
    path of the evening peak); a report moved to another day or deleted recomputes its days in its workshop's
    province."""
    if raw:
        return
    deleted = kwargs.get("signal") is post_delete
    before = None if deleted else getattr(instance, "_daily_before", None)
    if deleted or (before and before[:2] != (instance.report_date, instance.quota_id)):
        quota = instance.quota if OutputReport.quota.is_cached(instance) else None
        workshop, province = quota_workshop(instance.quota_id, quota)
        mark({instance.report_date, *(before or ())[:1]}, {province, *(before or ())[2:]}, {workshop})
        return
    if kwargs.get("created") and _add_in_its_transaction(instance):
        return
    # A correction: its key (the quota's workshop's province and product) is recomputed after the commit.
    mark_output((instance.report_date, instance.quota_id))


def _add_in_its_transaction(report: OutputReport) -> bool:
    """A new report whose quota, workshop and order came with it (the report service loads them with its lock):
    counted now, in the report's transaction (``reports.daily_output``). False: left to the after-commit path."""
    if not (OutputReport.quota.is_cached(report) and report.quota_id and report.report_date):
        return False
    quota = report.quota
    if not (Quota.workshop.is_cached(quota) and Quota.order.is_cached(quota)):
        return False
    workshop, product = quota.workshop, quota.order.product_id
    if workshop.province_id is None or product is None:
        return False
    add_output(
        day=report.report_date,
        workshop=workshop.pk,
        province=workshop.province_id,
        product=product,
        woman_headed=workshop.is_woman_head_of_household,
        units=report.quantity,
    )
    return True


def _pickup_before(sender, instance: Pickup, update_fields, raw=False, **kwargs):
    if not raw:
        fields = ("pickup_date", "workshop__province")
        _remember(instance, Pickup, fields, update_fields, {"pickup_date", "workshop", "workshop_id"})


def _pickup_changed(sender, instance: Pickup, raw=False, **kwargs):
    """Its accepted units, keyed by its workshop's province."""
    if raw:
        return
    before = getattr(instance, "_daily_before", None) if kwargs.get("signal") is post_save else None
    province = pickup_province(instance)
    mark({instance.pickup_date, *(before or ())[:1]}, {province, *(before or ())[1:]}, {instance.workshop_id})


def _pickup_line_changed(sender, instance: PickupLine, raw=False, **kwargs):
    if raw:
        return
    if PickupLine.pickup.is_cached(instance):
        pickup = instance.pickup
        mark({pickup.pickup_date}, {pickup_province(pickup)}, {pickup.workshop_id})
        return
    # Not found: deleted with its pickup, whose own signal marks its day.
    found = Pickup.objects.filter(pk=instance.pickup_id).values_list("pickup_date", "workshop", "workshop__province")
    for day, workshop, province in found:
        mark({day}, {province}, {workshop})


def _delivery_days(delivery: Delivery) -> set:
    return {local_day(getattr(delivery, name)) for name in DELIVERY_MOMENTS}


def _delivery_before(sender, instance: Delivery, update_fields, raw=False, **kwargs):
    if not raw:
        fields = (*DELIVERY_MOMENTS, "health_center__province")
        watched = {*DELIVERY_MOMENTS, "health_center", "health_center_id"}
        _remember(instance, Delivery, fields, update_fields, watched)


def _delivery_changed(sender, instance: Delivery, raw=False, **kwargs):
    """Its delivered and confirmed units, keyed by its health center's province."""
    if raw:
        return
    before = (getattr(instance, "_daily_before", None) if kwargs.get("signal") is post_save else None) or ()
    days = _delivery_days(instance) | {local_day(moment) for moment in before[: len(DELIVERY_MOMENTS)]}
    mark(days, {delivery_province(instance), *before[len(DELIVERY_MOMENTS) :]})


def _delivery_line_changed(sender, instance: DeliveryLine, raw=False, **kwargs):
    if raw:
        return
    if DeliveryLine.delivery.is_cached(instance):
        mark(_delivery_days(instance.delivery), {delivery_province(instance.delivery)})
        return
    fields = (*DELIVERY_MOMENTS, "health_center__province")
    for *moments, province in Delivery.objects.filter(pk=instance.delivery_id).values_list(*fields):
        mark({local_day(moment) for moment in moments}, {province})


def _entry_changed(sender, instance: LedgerEntry, raw=False, **kwargs):
    """An order's money, keyed by the order's health center's province; a payout, by its workshop's."""
    if raw:
        return
    days = {local_day(instance.created_at)}
    orders = []
    if instance.kind in ORDER_INFLOW_KINDS and instance.to_order_id:
        orders.append(instance.to_order if LedgerEntry.to_order.is_cached(instance) else instance.to_order_id)
    if instance.kind in ORDER_OUTFLOW_KINDS and instance.from_order_id:
        orders.append(instance.from_order if LedgerEntry.from_order.is_cached(instance) else instance.from_order_id)
    provinces = orders_provinces(orders) if orders else set()
    workshops = set()
    if instance.kind == EntryKind.PAYOUT:
        workshops.add(instance.to_workshop_id)
        if LedgerEntry.to_workshop.is_cached(instance) and instance.to_workshop is not None:
            provinces.add(instance.to_workshop.province_id)
        else:
            provinces.add(workshop_province(instance.to_workshop_id))
    if orders:
        # Money on a day changes the releasable units of the order's later days too (the ledger only appends,
        # so there are seldom any).
        ids = [order.pk if isinstance(order, Order) else order for order in orders]
        later = Q(created_at__gte=instance.created_at) & (Q(to_order__in=ids) | Q(from_order__in=ids))
        days |= _ledger_days(later)
    mark(days, provinces, workshops)


def _workshop_before(sender, instance: Workshop, update_fields, raw=False, **kwargs):
    if not raw:
        _remember(instance, Workshop, ("province", "is_woman_head_of_household"), update_fields)


def _workshop_changed(sender, instance: Workshop, created, raw=False, **kwargs):
    before = getattr(instance, "_daily_before", None)
    if raw or created or before is None or before == (instance.province_id, instance.is_woman_head_of_household):
        return
    # Its supply-side figures move with it, in its old and new provinces: every day it reported output, was
    # collected from or was paid.
    reports = OutputReport.objects.filter(quota__workshop=instance.pk).order_by()
    pickups = Pickup.objects.filter(workshop=instance.pk).order_by()
    days = set(reports.values_list("report_date", flat=True).distinct())
    days |= set(pickups.values_list("pickup_date", flat=True).distinct())
    days |= _ledger_days(Q(kind=EntryKind.PAYOUT, to_workshop=instance.pk))
    mark(days, {before[0], instance.province_id})


def _figures_changed(sender, days=(), provinces=None, **kwargs):
    """``provinces`` (optional): the provinces the rows' figures are keyed by; without it, the whole days."""
    mark(days, provinces)


def connect() -> None:
    """Called by ``ReportsConfig.ready``."""
    uid = "reports.daily_tracking"
    pre_save.connect(_order_before, sender=Order, dispatch_uid=uid)
    post_save.connect(_order_saved, sender=Order, dispatch_uid=uid)
    post_delete.connect(_order_deleted, sender=Order, dispatch_uid=uid)
    for model, before, changed in (
        (Quota, _quota_before, _quota_changed),
        (OutputReport, _report_before, _report_changed),
        (Pickup, _pickup_before, _pickup_changed),
        (PickupLine, None, _pickup_line_changed),
        (Delivery, _delivery_before, _delivery_changed),
        (DeliveryLine, None, _delivery_line_changed),
        (LedgerEntry, None, _entry_changed),
    ):
        if before is not None:
            pre_save.connect(before, sender=model, dispatch_uid=uid)
        post_save.connect(changed, sender=model, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, dispatch_uid=uid)
    pre_save.connect(_workshop_before, sender=Workshop, dispatch_uid=uid)
    post_save.connect(_workshop_changed, sender=Workshop, dispatch_uid=uid)
    figures_changed.connect(_figures_changed, dispatch_uid=uid)
