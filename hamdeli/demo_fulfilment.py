"""The demo's goods on the move: pickups with a quality check, deliveries in every state, and a paid payout batch.

Runs after the demo's quotas exist and only once (the demo is idempotent).
Everything goes through the services, so the demo obeys the same rules as
real users: nothing is collected that was not produced, nothing delivered
that was not accepted, no workshop paid from money the order does not hold.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from core.models import User
from fulfilment.models import Pickup, RejectReason
from fulfilment.services.collection import PickupLineInput, pickup_record
from fulfilment.services.deliveries import delivery_create, delivery_dispatch
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from payouts.services import payout_batch_create, payout_batch_mark_paid
from production.models import Quota, QuotaStatus

COURIER = {"courier_name": "رضا محمدی", "courier_phone": "09127654321", "vehicle": "وانت نیسان"}


def _pickups(coordinator: User, today: dt.date) -> None:
    quotas = Quota.objects.filter(status=QuotaStatus.ACCEPTED, produced_units__gt=2).select_related("workshop")
    for index, quota in enumerate(quotas.order_by("pk")[:9]):
        rejected = 2 if index % 3 == 0 else 0  # a few units fail the check, so the reasons show somewhere
        pickup_record(
            workshop=quota.workshop,
            pickup_date=today - dt.timedelta(days=1 + index % 3),
            lines=[
                PickupLineInput(
                    quota=quota,
                    collected_units=quota.produced_units,
                    accepted_units=quota.produced_units - rejected,
                    rejected_units=rejected,
                    reject_reason=RejectReason.STITCHING if rejected else "",
                    reject_note="درز آستین باز است" if rejected else "",
                )
            ],
            actor=coordinator,
        )


def _deliveries(coordinator: User, today: dt.date) -> None:
    """One delivery confirmed in full, one disputed (two units short), one still planned with a sheet to print."""
    deliverable = defaultdict(list)
    quotas = Quota.objects.filter(accepted_units__gt=F("delivered_units")).select_related("order__health_center")
    for quota in quotas.order_by("pk"):
        deliverable[quota.order.health_center].append((quota, quota.accepted_units - quota.delivered_units))
    for index, (center, lines) in enumerate(sorted(deliverable.items(), key=lambda item: item[0].pk)[:2]):
        if index == 0 and len(lines) > 1:  # the rest waits in a planned delivery whose sheet can be printed
            tomorrow = today + dt.timedelta(days=1)
            delivery_create(health_center=center, planned_date=tomorrow, lines=lines[1:], actor=coordinator, **COURIER)
            lines = lines[:1]
        delivery = delivery_create(health_center=center, planned_date=today, lines=lines, actor=coordinator, **COURIER)
        delivery = delivery_dispatch(delivery=delivery, actor=coordinator)
        answers = {}
        for line_index, line in enumerate(delivery.lines.order_by("pk")):
            short = 2 if index == 1 and line_index == 0 and line.units > 2 else 0
            answers[line.pk] = ReceivedLine(received_units=line.units - short)
        delivery_confirm(delivery=delivery, lines=answers, receiver_name="زهرا کریمی", receiver_role="مسئول انبار")


def _payouts(coordinator: User, today: dt.date) -> None:
    try:
        batch = payout_batch_create(period_start=today - dt.timedelta(days=30), period_end=today, actor=coordinator)
    except ValidationError:
        return  # nothing payable (e.g. no order holds money for its accepted units)
    payout_batch_mark_paid(batch=batch, bank_reference="DEMO-PAY-1405", paid_on=today, actor=coordinator)


def seed_fulfilment(coordinator: User) -> None:
    if Pickup.objects.exists():
        return
    today = timezone.localdate()
    _pickups(coordinator, today)
    _deliveries(coordinator, today)
    _payouts(coordinator, today)
