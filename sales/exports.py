"""Published listings as rows for a marketplace's seller onboarding: one row per product a listing offers.

Columns (CSV and JSON alike): seller_id (the listing's id, stable while it exists), shop_name, province, city,
product, product_code, description, takes_commercial_orders, image_urls (absolute links to the permission-checked
photo view, joined by ``|``). Nothing about the owner herself: no name, mobile, address or national ID.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable

from core.exports import UTF8_BOM, escape_formula

from .models import Listing

COLUMNS = (
    "seller_id",
    "shop_name",
    "province",
    "city",
    "product",
    "product_code",
    "description",
    "takes_commercial_orders",
    "image_urls",
)


def export_rows(listings: Iterable[Listing], photo_url: Callable[[int], str]) -> list[dict]:
    rows = []
    for listing in listings:
        images = "|".join(photo_url(photo.pk) for photo in listing.photos.all())
        for product in listing.products.all():
            rows.append(
                {
                    "seller_id": listing.pk,
                    "shop_name": listing.shop_name,
                    "province": listing.workshop.province.name_fa,
                    "city": listing.workshop.city.name_fa,
                    "product": product.name_fa,
                    "product_code": product.code,
                    "description": listing.description,
                    "takes_commercial_orders": listing.takes_commercial_orders,
                    "image_urls": images,
                }
            )
    return rows


def as_csv(rows: list[dict]) -> str:
    """UTF-8 with a byte order mark (Excel reads Persian then), text that looks like a formula escaped."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        cells = {**row, "takes_commercial_orders": "yes" if row["takes_commercial_orders"] else "no"}
        writer.writerow({key: escape_formula(value) for key, value in cells.items()})
    return UTF8_BOM + out.getvalue()


def as_json(rows: list[dict]) -> str:
    return json.dumps({"columns": list(COLUMNS), "rows": rows}, ensure_ascii=False, indent=1)
