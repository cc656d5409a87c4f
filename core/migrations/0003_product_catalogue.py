"""The four products Hamdeli starts with. Prices are editable in the admin (audited)."""

from decimal import Decimal

from django.db import migrations

# code, Persian name, English name, kind, unit cost (rials), piece rate (rials), standard minutes
PRODUCTS = (
    ("surgical-mask-3ply", "ماسک جراحی سه‌لایه", "Surgical 3-ply mask", "mask", 60_000, 20_000, Decimal("1.50")),
    ("cloth-mask", "ماسک پارچه‌ای", "Cloth mask", "mask", 120_000, 45_000, Decimal("6.00")),
    ("isolation-gown", "گان ایزوله", "Isolation gown", "gown", 1_800_000, 600_000, Decimal("25.00")),
    ("surgical-gown", "گان جراحی", "Surgical gown", "gown", 2_800_000, 900_000, Decimal("40.00")),
)


def load_products(apps, schema_editor):
    Product = apps.get_model("core", "Product")
    for code, name_fa, name_en, kind, unit_cost, piece_rate, minutes in PRODUCTS:
        Product.objects.get_or_create(
            code=code,
            defaults={
                "name_fa": name_fa,
                "name_en": name_en,
                "kind": kind,
                "unit_cost_rials": unit_cost,
                "piece_rate_rials": piece_rate,
                "standard_minutes": minutes,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_provinces_and_capitals")]

    operations = [migrations.RunPython(load_products, migrations.RunPython.noop)]
