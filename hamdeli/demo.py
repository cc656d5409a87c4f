"""The demo world behind ``manage.py seed_demo``.

Deterministic (fixed random seed) and idempotent: every object is looked up by
a natural key before it is created, so running the command again changes
nothing. All demo users are flagged ``is_demo`` and share
``settings.DEMO_PASSWORD``; the login backend refuses them when ``DEBUG=0``.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from core.models import City, HealthCenter, Product, Province, Role, User
from core.persian import to_persian_digits
from core.services import user_create
from core.validators import national_id_with_check_digit, sheba_with_check_digits
from donors.models import Donor, PaymentAccount, Pledge
from donors.services.pledges import donor_register, order_open_gap_rials, pledge_confirm, pledge_create
from orders.models import Order, OrderPriority, OrderStatus
from orders.services import order_create, order_set_status
from production.models import Quota
from production.services.quotas import output_report, quota_accept, quota_decline, quota_offer
from reports.daily_figures import rebuild as rebuild_daily_figures
from workshops.models import Workshop, WorkshopStatus
from workshops.services import capacity_set, workshop_register, workshop_set_status

from .demo_data import (
    ADMIN,
    COORDINATORS,
    DONORS,
    EXTRA_CITIES,
    FIRST_NAMES,
    FUNDING_CHARITY,
    HEALTH_CENTER_STAFF_MOBILE,
    HEALTH_CENTERS,
    LAST_NAMES,
    WORKSHOP_COUNT,
)
from .demo_fulfilment import seed_fulfilment
from .demo_sales import seed_sales


@dataclass(frozen=True)
class DemoLogin:
    role: str
    mobile: str
    name: str


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow (~0.3 s); hash the shared demo password once, not 50 times.
    return make_password(settings.DEMO_PASSWORD)


def _demo_user(mobile: str, full_name: str, role: Role, **extra) -> User:
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        user = user_create(mobile=mobile, full_name=full_name, role=role, password=None, is_demo=True, **extra)
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


def _cities() -> None:
    for code, cities in EXTRA_CITIES.items():
        province = Province.objects.get(code=code)
        for name_fa, name_en in cities:
            City.objects.get_or_create(province=province, name_fa=name_fa, defaults={"name_en": name_en})


def _coordinators() -> User:
    admin_user = User.objects.filter(mobile=ADMIN[0]).first()
    if admin_user is None:
        admin_user = User.objects.create_superuser(ADMIN[0], None, full_name=ADMIN[1], is_demo=True)
        admin_user.password = _demo_password_hash()
        admin_user.save(update_fields=["password"])
    for mobile, name, scope in COORDINATORS:
        if scope == "national":
            _demo_user(mobile, name, Role.COORDINATOR, is_national=True)
        else:
            _demo_user(mobile, name, Role.COORDINATOR, provinces=list(Province.objects.filter(code__in=scope)))
    return User.objects.get(mobile=COORDINATORS[0][0])


def _health_centers() -> list[HealthCenter]:
    centers = []
    for name, kind, province_code, city_name, address, phone, contact in HEALTH_CENTERS:
        province = Province.objects.get(code=province_code)
        city = City.objects.get(province=province, name_fa=city_name)
        center, _ = HealthCenter.objects.get_or_create(
            city=city,
            name=name,
            defaults={
                "kind": kind,
                "province": province,
                "address": address,
                "phone": phone,
                "contact_person": contact,
            },
        )
        centers.append(center)
    _demo_user(HEALTH_CENTER_STAFF_MOBILE, "آزاده کرمانی", Role.HEALTH_CENTER_STAFF, health_center=centers[0])
    return centers


def _workshops(rng: random.Random, coordinator: User) -> None:
    products = list(Product.objects.order_by("code"))
    cities = list(City.objects.filter(province__code__in=EXTRA_CITIES).select_related("province").order_by("pk"))
    for index in range(WORKSHOP_COUNT):
        mobile = f"0912200{index + 1:04d}"
        owner_name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}"
        owner = _demo_user(mobile, owner_name, Role.WORKSHOP_OWNER)
        if Workshop.objects.filter(owner=owner).exists():
            continue
        city = cities[index % len(cities)]
        workshop = workshop_register(
            owner=owner,
            name=f"کارگاه خیاطی {owner_name.split()[-1]} {to_persian_digits(index + 1)}",
            national_id=national_id_with_check_digit(f"{271400000 + index * 7919:09d}"),
            sheba=sheba_with_check_digits(f"{index + 1:022d}") if index % 4 else "",
            public_name_consent=index % 2 == 0,
            city=city,
            address=to_persian_digits(f"{city.name_fa}، کوچه {rng.randint(1, 40)}، پلاک {rng.randint(1, 120)}"),
            is_woman_head_of_household=index % 3 == 0,
            sewing_machines=rng.randint(1, 6),
            workers=rng.randint(1, 5),
        )
        for product in rng.sample(products, rng.randint(1, 3)):
            per_day = rng.randint(150, 600) if product.kind == "mask" else rng.randint(8, 40)
            capacity_set(workshop=workshop, product=product, units_per_day=per_day, actor=owner)
        if index % 10 == 7:
            continue  # stays pending: the coordinator has something to verify
        workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="", actor=coordinator)
        if index % 10 == 9:
            workshop_set_status(
                workshop=workshop, status=WorkshopStatus.SUSPENDED, reason="گزارش کیفیت پایین دوخت", actor=coordinator
            )


# Each demo order walks the lifecycle up to its target status.
ORDER_PATHS = {
    OrderStatus.REQUESTED: [],
    OrderStatus.OPEN: [OrderStatus.OPEN],
    OrderStatus.FUNDED: [OrderStatus.OPEN, OrderStatus.FUNDED],
    OrderStatus.IN_PRODUCTION: [OrderStatus.OPEN, OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION],
    OrderStatus.DELIVERED: [OrderStatus.OPEN, OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION, OrderStatus.DELIVERED],
    OrderStatus.CLOSED: [
        OrderStatus.OPEN,
        OrderStatus.FUNDED,
        OrderStatus.IN_PRODUCTION,
        OrderStatus.DELIVERED,
        OrderStatus.CLOSED,
    ],
    OrderStatus.CANCELLED: [OrderStatus.OPEN, OrderStatus.CANCELLED],
}


def _orders(rng: random.Random, centers: list[HealthCenter], coordinator: User) -> None:
    if Order.objects.filter(health_center__in=centers).exists():
        return
    products = list(Product.objects.order_by("code"))
    today = timezone.localdate()
    targets = list(ORDER_PATHS) * 3
    for index, target in enumerate(targets):
        center = centers[index % len(centers)]
        product = products[index % len(products)]
        quantity = rng.choice([2000, 5000, 10000]) if product.kind == "mask" else rng.choice([100, 250, 500])
        order = order_create(
            health_center=center,
            product=product,
            quantity=quantity,
            needed_by=today + dt.timedelta(days=rng.randint(-5, 45)),
            priority=rng.choice(list(OrderPriority)),
            note="",
            created_by=coordinator,
            status=OrderStatus.REQUESTED,  # walks the lifecycle from the start (coordinators' orders start open)
        )
        for status in ORDER_PATHS[target]:
            if status == OrderStatus.FUNDED:  # funded means money confirmed: a charity pays the whole budget
                order = _fund_in_full(order)
                continue
            reason = "نیاز مرکز با اهدای مستقیم تأمین شد" if status == OrderStatus.CANCELLED else ""
            order = order_set_status(order=order, status=status, actor=coordinator, reason=reason)


def _quotas(coordinator: User) -> None:
    """Offer parts of the funded and in-production orders to verified workshops; answer and report some."""
    if Quota.objects.exists():
        return
    today = timezone.localdate()
    orders = Order.objects.filter(status__in=[OrderStatus.FUNDED, OrderStatus.IN_PRODUCTION]).select_related("product")
    first_owner_workshop = Workshop.objects.get(owner__mobile="09122000001")
    for order_index, order in enumerate(orders.order_by("pk")):
        makers = list(
            Workshop.objects.filter(status=WorkshopStatus.VERIFIED, capacities__product=order.product).order_by("pk")[
                :3
            ]
        )
        due = order.needed_by - dt.timedelta(days=settings.HAMDELI_DELIVERY_LEAD_DAYS)
        if due < today + dt.timedelta(days=3):
            continue  # too close (or past) to offer work for: this order shows up as stale instead
        for maker_index, workshop in enumerate(makers):
            rate = workshop.capacities.get(product=order.product).units_per_day
            quantity = max(10, min(order.quantity // 3, rate * 8))
            quota = quota_offer(order=order, workshop=workshop, quantity=quantity, due_date=due, actor=coordinator)
            if order.status == OrderStatus.FUNDED:
                continue  # stays offered: something in the owners' inboxes (accepting would start production)
            if maker_index == 2 and order_index % 2:
                quota_decline(quota=quota, owner=workshop.owner, reason="چرخ خیاطی خراب است")
                continue
            quota_accept(quota=quota, owner=workshop.owner)
            if order.status == OrderStatus.IN_PRODUCTION:
                made = min(quota.quantity, rate // 2 + 1)
                output_report(quota=quota, owner=workshop.owner, quantity=made, idempotency_key=uuid.uuid4())
    _demo_owner_quotas(first_owner_workshop, coordinator, today)


def _demo_owner_quotas(workshop: Workshop, coordinator: User, today: dt.date) -> None:
    """The demo owner always has one offer waiting and one accepted quota to report against.

    They come from an order of her own product made for her, funded in full, needed in a month.
    """
    product = workshop.capacities.select_related("product").first().product
    center = HealthCenter.objects.filter(province=workshop.province).first() or HealthCenter.objects.first()
    order = order_create(
        health_center=center,
        product=product,
        quantity=500,
        needed_by=today + dt.timedelta(days=30),
        priority=OrderPriority.HIGH,
        note="سفارش نمونه برای کارگاه نمایشی",
        created_by=coordinator,
    )
    order = _fund_in_full(order)
    due = order.needed_by - dt.timedelta(days=settings.HAMDELI_DELIVERY_LEAD_DAYS)
    quota_offer(order=order, workshop=workshop, quantity=40, due_date=due, actor=coordinator)
    accepted = quota_offer(order=order, workshop=workshop, quantity=60, due_date=due, actor=coordinator)
    quota_accept(quota=accepted, owner=workshop.owner)


def _demo_donor(index: int) -> Donor:
    mobile, name, kind, registration = DONORS[index]
    user = _demo_user(mobile, name, Role.DONOR)
    return Donor.objects.filter(user=user).first() or donor_register(
        user=user, kind=kind, registration_number=registration
    )


def _fund_in_full(order: Order) -> Order:
    """The demo charity pledges the whole budget and the money is confirmed: the ledger funds the order."""
    pledge = pledge_create(donor=_demo_donor(FUNDING_CHARITY), order=order, amount_rials=order.budget_rials)
    pledge_confirm(
        pledge=pledge,
        actor=None,
        amount_received_rials=order.budget_rials,
        bank_reference=f"DEMO-{pledge.pk:05d}",
        received_on=timezone.localdate(),
    )
    order.refresh_from_db()
    return order


def _donors(rng: random.Random) -> None:
    fundable = list(Order.objects.filter(status__in=[OrderStatus.OPEN, OrderStatus.FUNDED]).order_by("pk"))
    for index in range(len(DONORS)):
        donor = _demo_donor(index)
        if Pledge.objects.filter(donor=donor).exists() or not fundable:
            continue
        for index, order in enumerate(rng.sample(fundable, min(2, len(fundable)))):
            amount = min(rng.choice([5, 10, 25, 50]) * 1_000_000, order_open_gap_rials(order))
            if amount <= 0:
                continue  # already paid for in full
            pledge = pledge_create(donor=donor, order=order, amount_rials=amount, is_anonymous=rng.random() < 0.3)
            if index == 0:  # the first pledge of each donor has arrived: it shows in the ledger
                pledge_confirm(
                    pledge=pledge,
                    actor=None,
                    amount_received_rials=amount,
                    bank_reference=f"DEMO-{pledge.pk:05d}",
                    received_on=timezone.localdate(),
                )


def _payment_account() -> None:
    """The national account donors are told to pay into (editable in the admin by the national coordinator)."""
    PaymentAccount.objects.get_or_create(
        province=None,
        defaults={
            "holder_name": "انجمن نیکوکاری همدلی (نمونه)",
            "bank_name": "بانک ملی ایران",
            "account_number": "0101405140501",
            "sheba": sheba_with_check_digits("0170000000101405140501"),
            "card_number": "6037991405140504",
        },
    )


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create (or complete) the demo world and return the logins to print."""
    rng = random.Random(1405)
    _cities()
    coordinator = _coordinators()
    centers = _health_centers()
    _workshops(rng, coordinator)
    _orders(rng, centers, coordinator)
    _quotas(coordinator)
    _payment_account()
    _donors(rng)
    seed_fulfilment(coordinator)
    seed_sales(coordinator)
    rebuild_daily_figures()  # the services kept them up to date; a re-run over an older demo world finds them built
    return [
        DemoLogin("superuser", ADMIN[0], ADMIN[1]),
        DemoLogin("national coordinator", COORDINATORS[0][0], COORDINATORS[0][1]),
        DemoLogin("coordinator (Tehran, Alborz)", COORDINATORS[1][0], COORDINATORS[1][1]),
        DemoLogin("coordinator (Isfahan, Fars)", COORDINATORS[2][0], COORDINATORS[2][1]),
        DemoLogin("workshop owner", "09122000001", User.objects.get(mobile="09122000001").full_name),
        DemoLogin(
            "health-center staff",
            HEALTH_CENTER_STAFF_MOBILE,
            User.objects.get(mobile=HEALTH_CENTER_STAFF_MOBILE).full_name,
        ),
        DemoLogin("donor", DONORS[0][0], DONORS[0][1]),
    ]
