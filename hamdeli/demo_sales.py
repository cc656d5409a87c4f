"""Demo showcase and sales: three published listings (one photo each, drawn here) and a few sales the owners
recorded, so the showcase and the dashboard's income table are not empty. Through the services, as a user would."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.utils import timezone

from core.models import User
from sales.models import Listing, SaleChannel, SaleRecord
from sales.services import listing_publish, listing_save, photo_add, sale_record
from workshops.models import Workshop, WorkshopStatus

LISTED = (
    ("خیاطی نرگس", "روپوش و گان پزشکی با پارچهٔ اسپان‌باند، دوخت تمیز و بسته‌بندی بهداشتی.", (86, 140, 200)),
    ("دوخت مهر", "ماسک پارچه‌ای سه‌لایه و کلاه جراحی؛ سفارش عمده هم می‌پذیریم.", (196, 120, 90)),
    ("کارگاه گلدوز", "گان و پیش‌بند یک‌بار مصرف، در اندازه‌های مختلف.", (110, 160, 110)),
)
# (workshop index, days ago, units, rials, channel)
SALES = (
    (0, 3, 40, 12_000_000, SaleChannel.SHOWCASE),
    (0, 12, 25, 7_500_000, SaleChannel.MARKETPLACE),
    (1, 5, 200, 9_000_000, SaleChannel.DIRECT),
    (2, 8, 30, 10_500_000, SaleChannel.SHOWCASE),
    (3, 2, 15, 4_200_000, SaleChannel.MARKETPLACE),
    (4, 20, 60, 15_000_000, SaleChannel.DIRECT),
    (5, 9, 120, 6_000_000, SaleChannel.MARKETPLACE),
)


def _photo(colour: tuple[int, int, int]) -> bytes:
    """A plain picture of a folded gown's colour: enough for the showcase's cards."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (245, 242, 236))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((120, 70, 360, 300), radius=24, fill=colour)
    draw.rectangle((200, 70, 280, 120), fill=(245, 242, 236))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _workshops() -> list[Workshop]:
    """Verified workshops, the demo owner's first (so logging in as her shows a listing and sales)."""
    return list(
        Workshop.objects.filter(status=WorkshopStatus.VERIFIED)
        .select_related("owner")
        .prefetch_related("capacities__product")
        .order_by("owner__mobile")[: len(SALES)]
    )


def _listings(workshops: list[Workshop], coordinator: User) -> None:
    for workshop, (shop_name, description, colour) in zip(workshops, LISTED, strict=False):
        listing = listing_save(
            workshop=workshop,
            actor=workshop.owner,
            shop_name=shop_name,
            products=[capacity.product for capacity in workshop.capacities.all()],
            description=description,
            takes_commercial_orders=True,
            consent=True,
        )
        photo_add(listing=listing, actor=workshop.owner, data=_photo(colour))
        listing_publish(listing=listing, actor=coordinator)


def _sales(workshops: list[Workshop], today: dt.date) -> None:
    for index, days_ago, units, rials, channel in SALES:
        if index >= len(workshops):
            continue
        workshop = workshops[index]
        products = [capacity.product for capacity in workshop.capacities.all()]
        sale_record(
            workshop=workshop,
            actor=workshop.owner,
            sold_on=today - dt.timedelta(days=days_ago),
            units=units,
            amount_rials=rials,
            channel=channel,
            idempotency_key=uuid.uuid5(uuid.NAMESPACE_URL, f"hamdeli-demo-sale-{index}-{days_ago}"),
            product=products[0] if products else None,
            product_text="" if products else "روپوش",
        )


def seed_sales(coordinator: User) -> None:
    if Listing.objects.exists() or SaleRecord.objects.exists():
        return
    workshops = _workshops()
    _listings(workshops, coordinator)
    _sales(workshops, timezone.localdate())
