"""Keeping the daily figures equal to the raw rows: the days a transaction touched are recomputed after its commit.

The rooms below may not import reports, so reports listens: ``post_save`` /
``post_delete`` of every raw row a figure reads (orders, quotas, output
reports, pickups and their lines, deliveries and their lines, ledger entries,
a workshop whose province or women-headed flag changed) mark the days the row
falls on, before and after the change; writes that bypass those signals
(the allocation's COPY of quotas, bulk loaders) send ``core.signals.figures_changed``.
The marked days wait on the connection; ``transaction.on_commit`` recomputes
them whole (every province and product of the day: simple, and exactly a
recomputation), so a rolled back write only costs a needless recomputation.
The one hot path, a new output report (the evening peak), marks only its
(day, quota): after the commit the produced units and activity of that day's
(workshop's province, product) are recomputed from that key's reports, and
the report's own transaction runs no extra statement.

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
        pending = {"days": set(), "output": set()}
        setattr(connection, PENDING, pending)
    return pending


def mark(days: Iterable[dt.date | None], using: str = DEFAULT_DB_ALIAS) -> None:
    """Recompute ``days`` after the current transaction commits (at once outside one)."""
    days = {day for day in days if day is not None}
    if days:
        _pending(using)["days"].update(days)
        # One callback per mark: after a rollback the earlier ones are gone; the first to run empties the set.
        transaction.on_commit(lambda: flush(using), using=using, robust=True)


def mark_output(key: tuple, using: str = DEFAULT_DB_ALIAS) -> None:
    """Recompute only the produced units and activity of ``(day, quota)``'s key (the day, the quota's workshop's
    province and product) after the commit."""
    _pending(using)["output"].add(key)
    transaction.on_commit(lambda: flush(using), using=using, robust=True)


def flush(using: str = DEFAULT_DB_ALIAS) -> None:
    """Recompute what was marked, now (a reader calls this first: the marks of its own transaction)."""
    pending = getattr(connections[using], PENDING, None)
    if not pending or not (pending["days"] or pending["output"]):
        return
    days, keys = set(pending["days"]), set(pending["output"])
    pending["days"].clear()
    pending["output"].clear()
    try:
        if days:
            refresh(Days.of(days))
        keys = {(day, quota) for day, quota in keys if day not in days}  # else the whole day's recomputation has it
        if keys:
            quotas = Quota.objects.filter(pk__in={quota for _, quota in keys}).order_by()
            where = {
                pk: (province, product)
                for pk, province, product in quotas.values_list("pk", "workshop__province", "order__product")
            }
            for day, province, product in sorted({(day, *where[q]) for day, q in keys if q in where}, key=str):
                refresh_output(day, province, product)
    except Exception:
        pending["days"].update(days)  # tried again by the next flush
        pending["output"].update(keys)
        raise


def _changes(update_fields, fields: set[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def _ledger_days(condition: Q) -> set[dt.date]:
    entries = LedgerEntry.objects.filter(condition).annotate(day=TruncDate("created_at"))
    return set(entries.order_by().values_list("day", flat=True).distinct())


# --- Receivers ------------------------------------------------------------------------------------------------


def _order_saved(sender, instance: Order, created, update_fields, raw=False, **kwargs):
    if raw:
        return
    days = {local_day(instance.created_at)}
    if not created and _changes(update_fields, ORDER_MONEY_FIELDS):
        days |= _ledger_days(Q(to_order=instance.pk) | Q(from_order=instance.pk))
    mark(days)


def _order_deleted(sender, instance: Order, **kwargs):
    mark({local_day(instance.created_at)})


def _quota_changed(sender, instance: Quota, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None:
        # Its counters move with every report and pickup; "allocated" reads them only for a cancelled quota.
        fields = set(update_fields)
        counted = fields & QUOTA_ALLOCATED_FIELDS or ("produced_units" in fields and instance.status == "cancelled")
        if not counted:
            return
    mark({local_day(instance.offered_at)})


def _remember(instance, model, fields: tuple[str, ...], update_fields) -> None:
    """Before an update: the row's stored values of ``fields`` (its old days), on the instance."""
    instance._daily_before = None
    if instance.pk is not None and _changes(update_fields, set(fields)):
        instance._daily_before = model.objects.filter(pk=instance.pk).values_list(*fields).first()


def _report_before(sender, instance: OutputReport, update_fields, raw=False, **kwargs):
    if not raw:
        _remember(instance, OutputReport, ("report_date",), update_fields)


def _report_changed(sender, instance: OutputReport, raw=False, **kwargs):
    """A new or corrected report on the same day changes only its own key's produced units and activity (the hot
    path of the evening peak); a report moved to another day or deleted recomputes its days."""
    if raw:
        return
    before = getattr(instance, "_daily_before", None)
    if kwargs.get("signal") is post_delete or (before and before[0] != instance.report_date):
        mark({instance.report_date, *(before or ())})
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
        _remember(instance, Pickup, ("pickup_date",), update_fields)


def _pickup_changed(sender, instance: Pickup, raw=False, **kwargs):
    if not raw:
        mark({instance.pickup_date, *(getattr(instance, "_daily_before", None) or ())})


def _pickup_line_changed(sender, instance: PickupLine, raw=False, **kwargs):
    if not raw:
        if PickupLine.pickup.is_cached(instance):
            mark({instance.pickup.pickup_date})
        else:
            mark(set(Pickup.objects.filter(pk=instance.pickup_id).values_list("pickup_date", flat=True)))


def _delivery_days(delivery: Delivery) -> set:
    return {local_day(getattr(delivery, name)) for name in DELIVERY_MOMENTS}


def _delivery_before(sender, instance: Delivery, update_fields, raw=False, **kwargs):
    if not raw:
        _remember(instance, Delivery, DELIVERY_MOMENTS, update_fields)


def _delivery_changed(sender, instance: Delivery, raw=False, **kwargs):
    if not raw:
        before = getattr(instance, "_daily_before", None) or ()
        mark(_delivery_days(instance) | {local_day(moment) for moment in before})


def _delivery_line_changed(sender, instance: DeliveryLine, raw=False, **kwargs):
    if raw:
        return
    if DeliveryLine.delivery.is_cached(instance):
        mark(_delivery_days(instance.delivery))
    else:
        moments = Delivery.objects.filter(pk=instance.delivery_id).values_list(*DELIVERY_MOMENTS).first() or ()
        mark({local_day(moment) for moment in moments})


def _entry_changed(sender, instance: LedgerEntry, raw=False, **kwargs):
    if raw:
        return
    day = local_day(instance.created_at)
    days = {day}
    orders = []
    if instance.kind in ORDER_INFLOW_KINDS and instance.to_order_id:
        orders.append(instance.to_order_id)
    if instance.kind in ORDER_OUTFLOW_KINDS and instance.from_order_id:
        orders.append(instance.from_order_id)
    if orders:
        # Money on a day changes the releasable units of the order's later days too (the ledger only appends,
        # so there are seldom any).
        later = Q(created_at__gte=instance.created_at) & (Q(to_order__in=orders) | Q(from_order__in=orders))
        days |= _ledger_days(later)
    mark(days)


def _workshop_before(sender, instance: Workshop, update_fields, raw=False, **kwargs):
    if not raw:
        _remember(instance, Workshop, ("province", "is_woman_head_of_household"), update_fields)


def _workshop_changed(sender, instance: Workshop, created, raw=False, **kwargs):
    before = getattr(instance, "_daily_before", None)
    if raw or created or before is None or before == (instance.province_id, instance.is_woman_head_of_household):
        return
    # Its supply-side figures move with it: every day it reported output, was collected from or was paid.
    reports = OutputReport.objects.filter(quota__workshop=instance.pk).order_by()
    pickups = Pickup.objects.filter(workshop=instance.pk).order_by()
    days = set(reports.values_list("report_date", flat=True).distinct())
    days |= set(pickups.values_list("pickup_date", flat=True).distinct())
    days |= _ledger_days(Q(kind=EntryKind.PAYOUT, to_workshop=instance.pk))
    mark(days)


def _figures_changed(sender, days=(), **kwargs):
    mark(days)


def connect() -> None:
    """Called by ``ReportsConfig.ready``."""
    uid = "reports.daily_tracking"
    post_save.connect(_order_saved, sender=Order, dispatch_uid=uid)
    post_delete.connect(_order_deleted, sender=Order, dispatch_uid=uid)
    for model, before, changed in (
        (Quota, None, _quota_changed),
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
