"""A synthetic country for the page and load benchmarks, built with bulk inserts in a throwaway database.

``grow_world`` adds one self-contained batch: workshops (with owners and
capacities), orders (funded through the ledger, a few still open for
funding), quotas with output reports, pickups with their quality check, and
deliveries with lines. Every counter on a quota is computed from the rows
created for it, so ``manage.py integrity_check`` and ``ledger_check`` pass on
the result. Calling it twice (a small batch, then the rest) grows the same
world, which is how ``bench/pages.py`` compares query counts on a small and a
large world. Needs Django set up; no HTTP, no services (they would make it
minutes slower): rows go straight in with ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass

BENCH_COORDINATOR_MOBILE = "09129000001"
BENCH_DONOR_MOBILE = "09129000002"
BENCH_OWNER_MOBILE = "09100000000"

FULL_SIZES = {"workshops": 10_000, "orders": 2_000, "reports": 200_000, "deliveries": 5_000}


@dataclass
class Actors:
    coordinator: object
    donor: object  # donors.models.Donor
    owner: object  # the workshop owner whose quota inbox is measured
    workshop: object


def scaled(scale: float) -> dict[str, int]:
    return {key: max(1, round(value * scale)) for key, value in FULL_SIZES.items()}


def ensure_actors() -> Actors:
    """The national coordinator, the donor and the measured owner (with a verified workshop); made once."""
    from django.contrib.auth.hashers import make_password

    from core.models import City, Province, Role, User
    from donors.models import Donor
    from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus

    password = make_password(None)
    coordinator, _ = User.objects.get_or_create(
        mobile=BENCH_COORDINATOR_MOBILE,
        defaults={
            "full_name": "bench coordinator",
            "role": Role.COORDINATOR,
            "is_national": True,
            "password": password,
        },
    )
    donor_user, _ = User.objects.get_or_create(
        mobile=BENCH_DONOR_MOBILE, defaults={"full_name": "bench donor", "role": Role.DONOR, "password": password}
    )
    donor, _ = Donor.objects.get_or_create(user=donor_user)
    owner, _ = User.objects.get_or_create(
        mobile=BENCH_OWNER_MOBILE,
        defaults={"full_name": "bench owner", "role": Role.WORKSHOP_OWNER, "password": password},
    )
    province = Province.objects.order_by("pk").first()
    workshop, created = Workshop.objects.get_or_create(
        owner=owner,
        defaults={
            "name": "bench workshop",
            "national_id": "9999999999",
            "province": province,
            "city": City.objects.filter(province=province).order_by("pk").first(),
            "address": "-",
            "status": WorkshopStatus.VERIFIED,
        },
    )
    if created:
        from core.models import Product

        WorkshopCapacity.objects.bulk_create(
            [WorkshopCapacity(workshop=workshop, product=p, units_per_day=300) for p in Product.objects.all()]
        )
    return Actors(coordinator=coordinator, donor=donor, owner=owner, workshop=workshop)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` as ``parts`` positive integers (``total >= parts``), roughly even with some noise."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


def grow_world(
    *,
    workshops: int,
    orders: int,
    reports: int,
    deliveries: int,
    batch: int,
    actors: Actors,
    owner_quota_statuses: tuple[str, ...] = ("offered", "accepted", "accepted", "declined"),
    campaigns: int = 2,
    seed: int = 1405,
) -> dict[str, int]:
    """Add one consistent batch to the world; returns the rows created per kind.

    ``batch`` keeps numbers, mobiles and codes unique across calls.
    ``owner_quota_statuses`` are extra quotas given to the measured owner in this batch.
    """
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from core.models import City, HealthCenter, Product, Province, Role, User
    from donors.models import Campaign, EntryKind, LedgerEntry, Pledge, PledgeStatus
    from fulfilment.models import Delivery, DeliveryLine, DeliveryStatus, Pickup, PickupLine
    from orders.models import Order, OrderPriority, OrderStatus
    from production.models import OutputReport, Quota, QuotaStatus
    from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus

    rng = random.Random(seed + batch)
    now = timezone.now()
    today = timezone.localdate()
    provinces = list(Province.objects.order_by("pk"))
    cities = defaultdict(list)
    for city in City.objects.order_by("pk"):
        cities[city.province_id].append(city)
    products = list(Product.objects.order_by("code"))
    password = make_password(None)
    coordinator = actors.coordinator
    tag = f"B{batch}"
    base = batch * 1_000_000  # room for a million workshops per batch in mobiles and national IDs

    # --- Workshops ------------------------------------------------------------------------------------------
    owners = User.objects.bulk_create(
        [
            User(
                mobile=f"091{base + n + 1:08d}",
                full_name=f"owner {tag}-{n}",
                role=Role.WORKSHOP_OWNER,
                password=password,
            )
            for n in range(workshops)
        ],
        batch_size=5000,
    )
    shops = []
    for n, owner in enumerate(owners):
        province = provinces[n % len(provinces)]
        shops.append(
            Workshop(
                owner=owner,
                name=f"workshop {tag}-{n}",
                national_id=f"{base + n + 1:010d}",
                province=province,
                city=rng.choice(cities[province.pk]),
                address="-",
                status=WorkshopStatus.PENDING if n % 10 == 9 else WorkshopStatus.VERIFIED,
                is_woman_head_of_household=rng.random() < 0.3,
                sewing_machines=rng.randint(1, 4),
                workers=rng.randint(1, 4),
            )
        )
    shops = Workshop.objects.bulk_create(shops, batch_size=5000)
    capacities = []
    makes: dict[int, list[int]] = {}
    for shop in shops:
        chosen = rng.sample(products, rng.randint(1, min(3, len(products))))
        makes[shop.pk] = [p.pk for p in chosen]
        for product in chosen:
            rate = rng.randint(150, 600) if product.kind == "mask" else rng.randint(8, 40)
            capacities.append(WorkshopCapacity(workshop=shop, product=product, units_per_day=rate))
    WorkshopCapacity.objects.bulk_create(capacities, batch_size=5000)
    verified = defaultdict(list)  # (province, product) -> workshops
    verified_any = defaultdict(list)  # product -> workshops
    for shop in shops:
        if shop.status == WorkshopStatus.VERIFIED:
            for product_id in makes[shop.pk]:
                verified[(shop.province_id, product_id)].append(shop)
                verified_any[product_id].append(shop)

    # --- Health centers and orders ---------------------------------------------------------------------------
    centers = HealthCenter.objects.bulk_create(
        [
            HealthCenter(
                name=f"center {tag}-{n}",
                kind=rng.choice(["hospital", "clinic", "health_house"]),
                province=(province := provinces[n % len(provinces)]),
                city=cities[province.pk][0],
                address="-",
                phone="02100000000",
                contact_person="-",
            )
            for n in range(max(3, orders // 10))
        ]
    )
    new_orders = []
    for n in range(orders):
        product = rng.choice(products)
        quantity = rng.choice([5000, 10000, 20000]) if product.kind == "mask" else rng.choice([500, 1000, 2000])
        # A fixed pattern rather than chance, so even a world of four orders has one of each kind:
        # open for funding, funded but not allocated, in production, and in production past its date.
        status = {0: OrderStatus.OPEN, 1: OrderStatus.FUNDED}.get(n % 8, OrderStatus.IN_PRODUCTION)
        stale = n % 20 == 3
        new_orders.append(
            Order(
                number=f"ORD-{tag}-{n:06d}",
                health_center=rng.choice(centers),
                product=product,
                quantity=quantity,
                unit_cost_rials=product.unit_cost_rials,
                needed_by=today + dt.timedelta(days=-3 if stale else rng.randint(7, 62)),
                priority=rng.choice(list(OrderPriority)),
                status=status,
                created_by=coordinator,
            )
        )
    new_orders = Order.objects.bulk_create(new_orders, batch_size=5000)

    # --- Money: full pledges received for funded orders; open orders pledged or partly received -------------
    pledges, entries_for = [], []
    for n, order in enumerate(new_orders):
        if order.status == OrderStatus.OPEN:
            if n % 4 == 0:
                continue  # nobody has pledged yet
            if n % 4 == 1:
                pledges.append(Pledge(donor=actors.donor, order=order, amount_rials=order.budget_rials // 2))
                continue
            amount = order.budget_rials // 3
        else:
            amount = order.budget_rials
        pledge = Pledge(
            donor=actors.donor,
            order=order,
            amount_rials=amount,
            status=PledgeStatus.RECEIVED,
            received_amount_rials=amount,
            bank_reference=f"BENCH-{tag}-{n}",
            received_on=today,
        )
        pledges.append(pledge)
        entries_for.append(pledge)
    new_campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                name=f"campaign {tag}-{n}",
                goal_rials=10_000_000_000,
                starts_on=today - dt.timedelta(days=10),
                ends_on=today + dt.timedelta(days=60),
                created_by=coordinator,
            )
            for n in range(campaigns)
        ]
    )
    for n, campaign in enumerate(new_campaigns):
        pledge = Pledge(
            donor=actors.donor,
            campaign=campaign,
            amount_rials=1_000_000_000,
            status=PledgeStatus.RECEIVED,
            received_amount_rials=1_000_000_000,
            bank_reference=f"BENCH-{tag}-C{n}",
            received_on=today,
        )
        pledges.append(pledge)
        entries_for.append(pledge)
    # Each Pledge() above drew a reference checked against the database only, not against its unsaved
    # siblings; give the batch references unique among themselves and the rows already there.
    for pledge, reference in zip(pledges, fresh_references(len(pledges)), strict=True):
        pledge.reference = reference
    Pledge.objects.bulk_create(pledges, batch_size=5000)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                kind=EntryKind.RECEIVED,
                amount_rials=pledge.received_amount_rials,
                from_donor=actors.donor,
                to_order=pledge.order,
                to_campaign=pledge.campaign,
                pledge=pledge,
                created_by=coordinator,
            )
            for pledge in entries_for
        ],
        batch_size=5000,
    )

    # --- Quotas (counters planned in memory, then every row behind them) ------------------------------------
    accepted_at = now - dt.timedelta(days=60)
    in_production = [o for o in new_orders if o.status == OrderStatus.IN_PRODUCTION]
    quotas: list[Quota] = []
    # The measured owner's quotas are carved out of their orders first: an order is never offered more units
    # than it has (and paid for), which integrity_check reports as "units offered beyond funds".
    owner_shares: list[tuple[Order, int, str]] = []
    reserved: dict[int, int] = defaultdict(int)
    for status in owner_quota_statuses:
        order = rng.choice(in_production)
        share = min(max(200, order.quantity // 10), (order.quantity - reserved[order.pk]) // 2)
        reserved[order.pk] += share
        owner_shares.append((order, share, status))
    for order in in_production:
        pool = verified[(order.health_center.province_id, order.product_id)] or verified_any[order.product_id]
        if not pool:
            continue
        k = min(len(pool), rng.randint(2, 5))
        left = order.quantity - reserved[order.pk]
        for shop, quantity in zip(rng.sample(pool, k), _split(left, k, rng), strict=True):
            roll = rng.random()
            status = (
                QuotaStatus.ACCEPTED
                if roll < 0.85
                else QuotaStatus.OFFERED
                if roll < 0.92
                else QuotaStatus.DECLINED
                if roll < 0.97
                else QuotaStatus.CANCELLED
            )
            quotas.append(_quota(order, shop, quantity, status, accepted_at))
    for order, share, status in owner_shares:
        quotas.append(_quota(order, actors.workshop, share, status, accepted_at))

    accepted = [q for q in quotas if q.status == QuotaStatus.ACCEPTED]
    # Spread the reports over the accepted quotas, never more reports than units.
    per_quota = [0] * len(accepted)
    if accepted:
        for i in range(reports):
            per_quota[i % len(accepted)] += 1
        rng.shuffle(per_quota)
    planned_reports: list[tuple[Quota, list[int]]] = []
    carried = 0  # reports that did not fit a small quota (one unit each at least) go to the next ones
    for quota, share in zip(accepted, per_quota, strict=True):
        n_reports = min(share + carried, quota.quantity)
        carried += share - n_reports
        if not n_reports:
            continue
        produced = max(n_reports, int(quota.quantity * rng.uniform(0.4, 1.0)))
        quota.produced_units = produced
        planned_reports.append((quota, _split(produced, n_reports, rng) if n_reports > 1 else [produced]))

    # Pickups: most quotas with output had one collection, a few units rejected now and then.
    planned_pickups = []
    for quota, _parts in planned_reports:
        if quota.produced_units < 10 or rng.random() > 0.8:
            continue
        collected = int(quota.produced_units * rng.uniform(0.5, 0.9))
        rejected = max(1, collected // 20) if rng.random() < 0.1 else 0
        quota.collected_units = collected
        quota.accepted_units = collected - rejected
        planned_pickups.append((quota, collected, rejected))

    # Deliveries: lines from quotas of the same health center's orders, at most what passed the quality check.
    available = defaultdict(list)  # health center -> [quota, units left]
    for quota, _collected, _rejected in planned_pickups:
        if quota.accepted_units:
            available[quota.order.health_center_id].append([quota, quota.accepted_units])
    # Every status among the first six deliveries (small worlds have them all), then 20% planned,
    # 10% dispatched, 10% delivered, 45% confirmed, 5% disputed, 10% cancelled.
    status_cycle = [
        DeliveryStatus.PLANNED,
        DeliveryStatus.DISPATCHED,
        DeliveryStatus.DELIVERED,
        DeliveryStatus.CONFIRMED,
        DeliveryStatus.DISPUTED,
        DeliveryStatus.CANCELLED,
        *[DeliveryStatus.PLANNED] * 3,
        DeliveryStatus.DISPATCHED,
        DeliveryStatus.DELIVERED,
        *[DeliveryStatus.CONFIRMED] * 8,
        DeliveryStatus.CANCELLED,
    ]
    planned_deliveries = []
    center_ids = [c for c in available if available[c]]
    for n in range(deliveries):
        center_ids = [c for c in center_ids if available[c]]
        if not center_ids:
            break
        center_id = rng.choice(center_ids)
        pool = available[center_id]
        lines = []
        for slot in rng.sample(range(len(pool)), min(len(pool), rng.randint(1, 3))):
            quota, left = pool[slot]
            units = min(left, max(1, quota.accepted_units // 3))
            pool[slot][1] -= units
            lines.append((quota, units))
        available[center_id] = [entry for entry in pool if entry[1] > 0]
        status = status_cycle[n % len(status_cycle)]
        if status != DeliveryStatus.CANCELLED:
            for quota, units in lines:
                quota.delivered_units += units
        planned_deliveries.append((n, center_id, status, lines))

    Quota.objects.bulk_create(quotas, batch_size=5000)
    OutputReport.objects.bulk_create(
        (
            OutputReport(
                quota=quota,
                report_date=today - dt.timedelta(days=rng.randint(0, 59)),
                quantity=quantity,
                idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                reported_by_id=quota.workshop.owner_id,
            )
            for quota, parts in planned_reports
            for quantity in parts
        ),
        batch_size=10000,
    )
    pickups = Pickup.objects.bulk_create(
        [
            Pickup(
                workshop=quota.workshop,
                pickup_date=today - dt.timedelta(days=rng.randint(1, 20)),
                recorded_by=coordinator,
            )
            for quota, _c, _r in planned_pickups
        ],
        batch_size=5000,
    )
    PickupLine.objects.bulk_create(
        [
            PickupLine(
                pickup=pickup,
                quota=quota,
                collected_units=collected,
                accepted_units=collected - rejected,
                rejected_units=rejected,
                reject_reason="stitching" if rejected else "",
            )
            for pickup, (quota, collected, rejected) in zip(pickups, planned_pickups, strict=True)
        ],
        batch_size=5000,
    )
    new_deliveries = []
    for n, center_id, status, _lines in planned_deliveries:
        past = status not in (DeliveryStatus.PLANNED, DeliveryStatus.CANCELLED)
        day = today - dt.timedelta(days=rng.randint(1, 30)) if past else today + dt.timedelta(days=rng.randint(0, 7))
        moment = now - dt.timedelta(days=(today - day).days) if past else None
        answered = status in (DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED)
        new_deliveries.append(
            Delivery(
                code=f"DLV-{tag}-{n:06d}",
                health_center_id=center_id,
                planned_date=day,
                courier_name="courier",
                status=status,
                created_by=coordinator,
                dispatched_at=moment,
                delivered_at=moment if status not in (DeliveryStatus.DISPATCHED,) and past else None,
                confirmed_at=moment if answered else None,
                receiver_name="receiver" if answered else "",
                cancel_reason="bench: cancelled" if status == DeliveryStatus.CANCELLED else "",
            )
        )
    new_deliveries = Delivery.objects.bulk_create(new_deliveries, batch_size=5000)
    delivery_lines = []
    for delivery, (_n, _center, status, lines) in zip(new_deliveries, planned_deliveries, strict=True):
        for index, (quota, units) in enumerate(lines):
            line = DeliveryLine(delivery=delivery, quota=quota, units=units)
            if status == DeliveryStatus.CONFIRMED:
                line.received_units, line.rejected_units = units, 0
            elif status == DeliveryStatus.DISPUTED:
                # The first line came with one unit rejected: the receiver disputed the delivery.
                line.received_units, line.rejected_units = units, 1 if index == 0 else 0
            delivery_lines.append(line)
    DeliveryLine.objects.bulk_create(delivery_lines, batch_size=5000)
    # bulk_create sends no signals: the dashboard's daily figures are rebuilt from the rows (issue 20).
    from reports.daily_figures import rebuild

    rebuild()
    return {
        "workshops": len(shops),
        "orders": len(new_orders),
        "quotas": len(quotas),
        "output_reports": sum(len(parts) for _q, parts in planned_reports),
        "pickups": len(pickups),
        "deliveries": len(new_deliveries),
        "delivery_lines": len(delivery_lines),
        "campaigns": len(new_campaigns),
    }


def _quota(order, workshop, quantity: int, status: str, accepted_at):
    from production.models import Quota, QuotaStatus

    quota = Quota(
        order=order,
        workshop=workshop,
        quantity=quantity,
        due_date=order.needed_by - dt.timedelta(days=2),
        piece_rate_rials=order.product.piece_rate_rials,
        status=status,
    )
    if status != QuotaStatus.OFFERED:
        quota.responded_at = accepted_at
    if status == QuotaStatus.DECLINED:
        quota.decline_reason = "bench: busy with another order"
    if status == QuotaStatus.CANCELLED:
        quota.cancel_reason = "bench: cancelled"
    return quota


def add_load_quotas(*, owners: int, actors: Actors, small_every: int = 10, seed: int = 7) -> list[tuple[str, int]]:
    """Give ``owners`` verified workshops one fresh accepted quota each, for the load test.

    Returns ``(owner mobile, quota id)`` pairs. Every ``small_every``-th quota is
    tiny (5 units), so its owner soon reports past the 5% tolerance and gets
    the form's refusal, as real owners sometimes do.
    """
    from django.utils import timezone

    from core.models import Product
    from donors.models import EntryKind, LedgerEntry, Pledge, PledgeStatus
    from orders.models import Order, OrderStatus
    from production.models import Quota, QuotaStatus
    from workshops.models import Workshop, WorkshopStatus

    rng = random.Random(seed)
    today = timezone.localdate()
    shops = list(
        Workshop.objects.filter(status=WorkshopStatus.VERIFIED)
        .exclude(pk=actors.workshop.pk)
        .select_related("owner")
        .order_by("pk")[:owners]
    )
    if len(shops) < owners:
        raise SystemExit(f"Only {len(shops)} verified workshops for {owners} owners: build a larger world.")
    product = Product.objects.filter(kind="mask").order_by("code").first() or Product.objects.order_by("code").first()
    from core.models import HealthCenter

    center = HealthCenter.objects.order_by("pk").first()
    per_order = 10
    quotas = []
    for start in range(0, len(shops), per_order):
        group = shops[start : start + per_order]
        order = Order.objects.create(
            number=f"ORD-LOAD-{start // per_order:05d}",
            health_center=center,
            product=product,
            quantity=100_000 * len(group),
            needed_by=today + dt.timedelta(days=60),
            status=OrderStatus.IN_PRODUCTION,
            created_by=actors.coordinator,
        )
        pledge = Pledge.objects.create(
            donor=actors.donor,
            order=order,
            amount_rials=order.budget_rials,
            status=PledgeStatus.RECEIVED,
            received_amount_rials=order.budget_rials,
            bank_reference=f"LOAD-{order.number}",
            received_on=today,
        )
        LedgerEntry.objects.create(
            kind=EntryKind.RECEIVED,
            amount_rials=pledge.amount_rials,
            from_donor=actors.donor,
            to_order=order,
            pledge=pledge,
            created_by=actors.coordinator,
        )
        for offset, shop in enumerate(group):
            small = (start + offset) % small_every == small_every - 1
            quota = _quota(order, shop, 5 if small else 100_000, QuotaStatus.ACCEPTED, timezone.now())
            quota.due_date = today + dt.timedelta(days=rng.randint(20, 58))
            quotas.append(quota)
    Quota.objects.bulk_create(quotas)
    from core.signals import figures_changed

    figures_changed.send(sender=Quota, days={today})  # bulk_create sends no post_save (reports' daily figures)
    return [(quota.workshop.owner.mobile, quota.pk) for quota in quotas]


def fresh_references(count: int) -> list[str]:
    """``count`` pledge references (six random digits and a Luhn check digit) that no pledge has yet."""
    from core.validators import luhn_check_digit
    from donors.models import Pledge

    used = set(Pledge.objects.values_list("reference", flat=True))
    references = []
    rng = random.Random(count)
    while len(references) < count:
        body = str(rng.randint(100_000, 999_999))
        reference = body + luhn_check_digit(body)
        if reference not in used:
            used.add(reference)
            references.append(reference)
    return references
