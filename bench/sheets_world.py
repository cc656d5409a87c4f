"""A day of delivery sheets for ``bench/sheets.py``: many planned deliveries of one province on one day.

``bench/world.py`` spreads its deliveries over provinces and a month; a batch
prints one province's day, so this adds ``count`` planned deliveries there on
top of a (small) world: health centers of the province, each delivery with one
to three lines from accepted quotas of that province's orders (the sheet shows
product, order number, source city, units and their words). Rows go straight in
with ``bulk_create``; the quotas' delivered counters are left alone, so this
day is for printing only (``integrity_check`` is not meant to pass on it).
"""

from __future__ import annotations

import datetime as dt
import random


def add_sheet_day(*, count: int, day: dt.date, actors, seed: int = 500) -> tuple[str, int]:
    """Add ``count`` planned deliveries on ``day`` in the province with the most accepted quotas.

    Returns (province code, deliveries created).
    """
    from collections import Counter

    from core.models import HealthCenter
    from fulfilment.models import Delivery, DeliveryLine, DeliveryStatus
    from production.models import Quota, QuotaStatus

    rng = random.Random(seed)
    accepted = Quota.objects.filter(status=QuotaStatus.ACCEPTED)
    per_province = Counter(accepted.values_list("order__health_center__province__code", flat=True))
    if not per_province:
        raise SystemExit("the world has no accepted quota to deliver: grow it first")
    province_code = max(sorted(per_province), key=per_province.__getitem__)
    quotas = list(accepted.filter(order__health_center__province__code=province_code).select_related("order"))
    by_center: dict[int, list] = {}
    for quota in quotas:
        by_center.setdefault(quota.order.health_center_id, []).append(quota)
    centers = list(HealthCenter.objects.filter(pk__in=by_center).order_by("pk"))
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                code=f"DLV-S{seed}-{n:06d}",
                health_center=centers[n % len(centers)],
                planned_date=day,
                courier_name="courier",
                courier_phone="09120000000",
                vehicle="van",
                status=DeliveryStatus.PLANNED,
                created_by=actors.coordinator,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    lines = []
    for delivery in deliveries:
        pool = by_center[delivery.health_center_id]
        for quota in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
            lines.append(DeliveryLine(delivery=delivery, quota=quota, units=rng.randint(1, 900)))
    DeliveryLine.objects.bulk_create(lines, batch_size=5000)
    return province_code, len(deliveries)
