"""Writing an allocation run's offers: tens of thousands of quotas and their audit entries inside the run's locks.

A scarce country's run offers ~50,000 quotas. Built as model instances and
written with ``bulk_create`` (quotas, then audit entries) that took 5-10 s
inside the commit. Here the rows go in as plain values (``core.bulk_insert``:
COPY on PostgreSQL, every shared column prepared once by its field), the audit
entries likewise (``core.audit.log_action_rows``), and the quotas handed back
are built once, from the same values, for the run's report and the owners'
notifications, which are only queued here (they are sent after the commit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.utils import timezone

from core.audit import log_action_rows
from core.bulk_insert import insert_rows
from core.models import User
from core.signals import figures_changed
from orders.models import Order
from workshops.models import Workshop

from ..allocation.model import Allocation
from ..models import Quota, QuotaStatus
from ..notification_tasks import queue_offer_notifications

# What varies between a run's offers; every other column is the template's (status offered, nothing made yet).
VARYING = ("order_id", "workshop_id", "quantity", "due_date", "piece_rate_rials")


def offers_write(
    *,
    allocations: Sequence[Allocation],
    orders: Mapping[int, Order],
    workshops: Mapping[int, Workshop],
    actor: User | None,
) -> list[Quota]:
    """Offer each allocation as a quota, audit it and queue the owners' notifications; the new quotas, in order.

    ``orders`` come with their product, ``workshops`` are the plan's: the
    quotas handed back point at these objects, so reading ``quota.order`` or
    ``quota.workshop`` (the audit's text, the report) costs no query.
    """
    template = Quota(status=QuotaStatus.OFFERED)
    rows = [
        (
            allocation.order_id,
            allocation.workshop_id,
            allocation.units,
            allocation.due_date,
            orders[allocation.order_id].product.piece_rate_rials,
        )
        for allocation in allocations
    ]
    ids = insert_rows(Quota, template=template, columns=VARYING, rows=rows)
    quotas = _quotas(template, ids, rows, orders, workshops)
    # COPY sends no post_save: the reports' daily figures (allocated units, keyed by the order's health center's
    # province) hear of the offers' day and provinces here.
    figures_changed.send(
        sender=Quota,
        days={timezone.localtime(quota.offered_at).date() for quota in quotas[:1]},
        provinces={orders[row[0]].health_center.province_id for row in rows},
    )
    quota_type = ContentType.objects.get_for_model(Quota, for_concrete_model=False)
    log_action_rows(
        actor=actor,
        rows=((quota_type, quota.pk, str(quota), {"quantity": [None, quota.quantity]}) for quota in quotas),
        action="quota.offer",
        note="allocation",
    )
    # The owners hear after the commit: one outbox message here, then one task records every owner's message
    # in bulk, outside this transaction and its locks (a message per owner inside it cost seconds per thousand).
    queue_offer_notifications(quotas)
    return quotas


def _quotas(template: Quota, ids: list[int], rows: list[tuple], orders, workshops) -> list[Quota]:
    """The written quotas as instances (as loaded from the database), their order and workshop attached."""
    alias = router.db_for_write(Quota)
    fields = Quota._meta.concrete_fields
    names = [field.attname for field in fields]
    shared = [getattr(template, name) for name in names]
    slots = [names.index(name) for name in ("id", *VARYING)]
    order_field, workshop_field = Quota._meta.get_field("order"), Quota._meta.get_field("workshop")
    quotas = []
    for pk, row in zip(ids, rows, strict=True):
        values = list(shared)
        for slot, value in zip(slots, (pk, *row), strict=True):
            values[slot] = value
        quota = Quota.from_db(alias, names, values)
        order_field.set_cached_value(quota, orders[row[0]])
        workshop_field.set_cached_value(quota, workshops[row[1]])
        quotas.append(quota)
    return quotas
