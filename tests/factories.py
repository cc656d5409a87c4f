"""factory_boy factories for every model the tests build.

Provinces, capitals and products come from data migrations, so factories pick
existing ones instead of inventing geography.
"""

import datetime as dt
import uuid

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from core.models import City, HealthCenter, HealthCenterKind, Product, Province, Role, User
from core.roles import user_set_role_group
from core.validators import national_id_with_check_digit, sheba_with_check_digits
from donors.models import Donor, DonorKind, Pledge
from orders.models import Order, OrderPriority, OrderStatus
from production.models import Quota, QuotaStatus
from workshops.models import Workshop, WorkshopCapacity, WorkshopStatus

TEST_PASSWORD = "test-pass-1405"


def province(code: str = "tehran") -> Province:
    return Province.objects.get(code=code)


def capital(code: str = "tehran") -> City:
    return City.objects.get(province__code=code, is_capital=True)


def product(code: str = "surgical-mask-3ply") -> Product:
    return Product.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    mobile = factory.Sequence(lambda n: f"0935{n:07d}")
    full_name = factory.Sequence(lambda n: f"کاربر {n}")
    role = Role.WORKSHOP_OWNER
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def provinces(self, create, extracted, **kwargs):
        if create and extracted:
            self.provinces.set(extracted)

    @factory.post_generation
    def role_group(self, create, extracted, **kwargs):
        if create:
            user_set_role_group(self)


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    is_staff = True

    @factory.post_generation
    def provinces(self, create, extracted, **kwargs):
        """Tehran unless other provinces are given; none for a national coordinator."""
        if create and not self.is_national:
            self.provinces.set(extracted if extracted is not None else [province("tehran")])


class HealthCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthCenter

    name = factory.Sequence(lambda n: f"بیمارستان شماره {n}")
    kind = HealthCenterKind.HOSPITAL
    province = factory.LazyFunction(lambda: province("tehran"))
    city = factory.LazyAttribute(lambda o: City.objects.get(province=o.province, is_capital=True))
    address = "خیابان آزادی"
    phone = "02166000000"
    contact_person = "دکتر نمونه"


class HealthCenterStaffFactory(UserFactory):
    role = Role.HEALTH_CENTER_STAFF
    health_center = factory.SubFactory(HealthCenterFactory)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    owner = factory.SubFactory(UserFactory, role=Role.WORKSHOP_OWNER)
    name = factory.Sequence(lambda n: f"کارگاه {n}")
    national_id = factory.Sequence(lambda n: national_id_with_check_digit(f"{500000000 + n * 13:09d}"))
    province = factory.LazyFunction(lambda: province("tehran"))
    city = factory.LazyAttribute(lambda o: City.objects.get(province=o.province, is_capital=True))
    address = "کوچه یکم"
    # Verified workshops have given their account for payouts; one still signing up (pending) has not yet.
    sheba = factory.LazyAttributeSequence(
        lambda o, n: "" if o.status == WorkshopStatus.PENDING else sheba_with_check_digits(f"{n:022d}")
    )
    status = WorkshopStatus.VERIFIED


class WorkshopCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopCapacity

    workshop = factory.SubFactory(WorkshopFactory)
    product = factory.LazyFunction(product)
    units_per_day = 200


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"ORD-1405-{n + 900000:06d}")
    health_center = factory.SubFactory(HealthCenterFactory)
    product = factory.LazyFunction(product)
    quantity = 1000
    needed_by = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    priority = OrderPriority.NORMAL
    status = OrderStatus.OPEN
    created_by = factory.SubFactory(CoordinatorFactory)


class QuotaFactory(factory.django.DjangoModelFactory):
    """An accepted quota of 100 units due in 20 days, for a workshop that makes the order's product."""

    class Meta:
        model = Quota
        skip_postgeneration_save = True  # the capacity hook does not change the quota

    order = factory.SubFactory(OrderFactory, status=OrderStatus.IN_PRODUCTION)
    workshop = factory.SubFactory(WorkshopFactory)
    quantity = 100
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    piece_rate_rials = factory.LazyAttribute(lambda o: o.order.product.piece_rate_rials)
    status = QuotaStatus.ACCEPTED
    responded_at = factory.LazyFunction(timezone.now)
    accepted_units = 0
    # Accepted units were collected first (the pickup records both); tests that only care about
    # acceptance need not spell it out.
    collected_units = factory.LazyAttribute(lambda o: o.accepted_units)

    @factory.post_generation
    def capacity(self, create, extracted, **kwargs):
        """The workshop declares the product (``capacity=`` units per day, default 20)."""
        if create:
            WorkshopCapacity.objects.get_or_create(
                workshop=self.workshop, product=self.order.product, defaults={"units_per_day": extracted or 20}
            )


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor

    user = factory.SubFactory(UserFactory, role=Role.DONOR)
    kind = DonorKind.INDIVIDUAL


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    donor = factory.SubFactory(DonorFactory)
    order = factory.SubFactory(OrderFactory)
    amount_rials = 10_000_000


def fund_order(order: Order, amount_rials: int | None = None) -> Order:
    """Confirm a donor's payment of ``amount_rials`` (default: the whole budget) for ``order``, through the ledger.

    The one way tests give an order money: confirmed funds are read from the donors' ledger.
    """
    from donors.services.pledges import pledge_confirm

    amount = order.budget_rials if amount_rials is None else amount_rials
    pledge = PledgeFactory(order=order, amount_rials=amount)
    pledge_confirm(
        pledge=pledge,
        actor=None,
        amount_received_rials=amount,
        bank_reference=f"TEST-{pledge.pk}",
        received_on=timezone.localdate(),
    )
    order.refresh_from_db()
    return order


def funded_order(
    units: int = 300,
    product_code: str = "surgical-mask-3ply",
    province: str = "tehran",
    days: int = 30,
    funds: int | None = None,
    **kwargs,
) -> Order:
    """A funded order of ``units`` needed in ``days`` days, at a new health center of ``province``, its money
    (default: the whole budget) confirmed in the ledger: what the allocation tests start from."""
    order = OrderFactory(
        product=product(product_code),
        quantity=units,
        status=OrderStatus.FUNDED,
        needed_by=timezone.localdate() + dt.timedelta(days=days),
        health_center=HealthCenterFactory(province=Province.objects.get(code=province)),
        **kwargs,
    )
    return fund_order(order, funds)


def quota_far_behind_pace(order: Order) -> Quota:
    """An accepted quota of all of ``order`` that made 10 of 120 units in 20 days and is due tomorrow: the next
    allocation run takes its remainder back."""
    return QuotaFactory(
        order=order,
        quantity=120,
        produced_units=10,
        due_date=timezone.localdate() + dt.timedelta(days=1),
        responded_at=timezone.now() - dt.timedelta(days=20),
        capacity=50,
    )


def maker(rate: int = 50, product_code: str = "surgical-mask-3ply", province: str = "tehran", **kwargs) -> Workshop:
    """A verified workshop of ``province`` that sews ``rate`` units a day of the product."""
    workshop = WorkshopFactory(province=Province.objects.get(code=province), **kwargs)
    WorkshopCapacity.objects.create(workshop=workshop, product=product(product_code), units_per_day=rate)
    return workshop


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign running from yesterday for 60 days, with a 1-billion-rial goal."""

    class Meta:
        model = "donors.Campaign"

    name = factory.Sequence(lambda n: f"پویش فصل همدلی {n}")
    goal_rials = 1_000_000_000
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    created_by = factory.SubFactory(CoordinatorFactory)


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A planned delivery to a Tehran hospital tomorrow, with a courier; lines come from DeliveryLineFactory."""

    class Meta:
        model = "fulfilment.Delivery"

    code = factory.Sequence(lambda n: f"DLV-1405-{n + 900000:06d}")
    health_center = factory.SubFactory(HealthCenterFactory)
    planned_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    courier_name = "پیک نمونه"
    courier_phone = "09121234567"
    created_by = factory.SubFactory(CoordinatorFactory)


class DeliveryLineFactory(factory.django.DjangoModelFactory):
    """``units`` of a fresh quota for the delivery's health center, produced, collected and accepted in full.

    The quota's counters stay consistent (produced = collected = accepted = delivered = units);
    pass ``quota=`` to use an existing one (then keep its counters right yourself).
    """

    class Meta:
        model = "fulfilment.DeliveryLine"

    delivery = factory.SubFactory(DeliveryFactory)
    units = 20
    quota = factory.LazyAttribute(
        lambda o: QuotaFactory(
            order__health_center=o.delivery.health_center,
            quantity=max(100, o.units),
            produced_units=o.units,
            collected_units=o.units,
            accepted_units=o.units,
            delivered_units=o.units,
        )
    )


def jpeg_bytes(size: tuple[int, int] = (40, 30), *, gps: bool = False, image_format: str = "JPEG") -> bytes:
    """A small photo made with Pillow; ``gps`` adds EXIF with a camera model and a GPS position (Tehran)."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (200, 80, 120))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x0110] = "Phone camera"  # Model
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd.update({1: "N", 2: (35.0, 41.0, 21.0), 3: "E", 4: (51.0, 23.0, 20.0)})
        image.save(out, format=image_format, exif=exif)
    else:
        image.save(out, format=image_format)
    return out.getvalue()


class ListingFactory(factory.django.DjangoModelFactory):
    """A workshop's showcase listing, published with consent unless told otherwise."""

    class Meta:
        model = "sales.Listing"
        skip_postgeneration_save = True

    workshop = factory.SubFactory(WorkshopFactory)
    shop_name = factory.LazyAttribute(lambda o: o.workshop.name)
    description = "روپوش و ماسک با پارچهٔ نخی"
    takes_commercial_orders = True
    consent = True
    consented_at = factory.LazyFunction(timezone.now)
    status = "published"
    submitted_at = factory.LazyFunction(timezone.now)
    reviewed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create:
            self.products.set(extracted if extracted is not None else [product()])


class ListingPhotoFactory(factory.django.DjangoModelFactory):
    """A photo stored as the service stores it (a plain JPEG); set MEDIA_ROOT to a temporary folder first."""

    class Meta:
        model = "sales.ListingPhoto"

    listing = factory.SubFactory(ListingFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    width = 40
    height = 30


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Inquiry"

    listing = factory.SubFactory(ListingFactory)
    buyer_name = "مریم"
    buyer_mobile = factory.Sequence(lambda n: f"0912{n:07d}")
    message = "سلام، صد روپوش لازم داریم."


class SaleRecordFactory(factory.django.DjangoModelFactory):
    """A sale an owner recorded herself (yesterday, 10 units, through the showcase)."""

    class Meta:
        model = "sales.SaleRecord"

    workshop = factory.SubFactory(WorkshopFactory)
    sold_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    product_text = "روپوش"
    units = 10
    amount_rials = 5_000_000
    channel = "showcase"
    recorded_by = factory.LazyAttribute(lambda o: o.workshop.owner)
    idempotency_key = factory.LazyFunction(uuid.uuid4)
