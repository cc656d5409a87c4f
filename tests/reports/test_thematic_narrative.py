"""The thematic report's opening paragraph, word for word, in Persian and in English.

The paragraph is built once and translated; these are the exact texts it gave before that, for the
seeded Tehran world of ``test_thematic_report`` and for made-up figures that take every other branch
(more than three products, money above the period's demand, no money, no pickups, no deliveries,
nothing at all, one day, a period across two months).
"""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Province
from reports.dashboard import Figures
from reports.thematic import DiscrepancyRow, Summary, ThematicData
from reports.thematic_narrative import narrative, narrative_en, narrative_fa
from tests.reports.test_thematic_report import tehran_data, world  # noqa: F401 - the seeded world fixture

WORLD_FA = (
    "در بازهٔ {period} در استان تهران، ۱٬۰۰۰ عدد ماسک جراحی سه‌لایه در ۱ سفارش درخواست شد که ۸۰٪ آن تأمین مالی"
    " شد (۴۸٬۰۰۰٬۰۰۰ ریال). کارگاه‌ها ۴۸۰ عدد را از کنترل کیفیت گذراندند و ۲۰ عدد (۴٪ از جمع‌آوری‌شده‌ها) رد شد."
    " ۴۰۰ عدد در ۳ محموله برای ۱ مرکز درمانی ارسال شد و مراکز دریافت ۳۸۵ عدد را تأیید کردند. در ۱ محموله مغایرت"
    " گزارش شد (۱۵ عدد کسری یا مرجوعی) که ۱ مورد از ۱ مورد آن با ارسال بعدی جبران شده است."
)
WORLD_EN = (
    "From {period} in Tehran province, 1,000 units of Surgical 3-ply mask were requested in 1 order; 80% of them"
    " were funded (48,000,000 rials). Workshops had 480 units accepted at the quality check and 20 rejected (4% of"
    " those collected). 400 units left for 1 health center(s) in 3 deliveries; receivers confirmed 385 units."
    " Discrepancies were reported on 1 deliveries (15 units short or refused); 1 of 1 have been made up by a later"
    " delivery."
)


@pytest.mark.django_db
def test_the_seeded_worlds_paragraph_reads_as_before_in_both_languages(coordinator, world):  # noqa: F811
    from reports.thematic_narrative import jalali_period

    data = tehran_data(coordinator)

    assert narrative_fa(data) == WORLD_FA.format(period=jalali_period(data.start, data.end, persian=True))
    assert narrative_en(data) == WORLD_EN.format(period=jalali_period(data.start, data.end, persian=False))
    assert narrative(data, "fa") == narrative_fa(data)
    assert narrative(data, "en") == narrative_en(data)


def _discrepancy(short: int, made_up_by: str = "") -> DiscrepancyRow:
    return DiscrepancyRow("DLV-1", "مرکز", "ماسک", short, 0, 0, short, "", made_up_by)


def _data(start, end, province, figures, products=(), discrepancies=(), **counts) -> ThematicData:
    return ThematicData(
        start=start,
        end=end,
        province=province,
        summary=Summary(headline=Figures(**figures), **counts),
        discrepancies=list(discrepancies),
        product_names=list(products),
    )


PRODUCTS = [
    ("ماسک", "Mask", 12_000),
    ("گان", "Gown", 1_500),
    ("دستکش", "Gloves", 700),
    ("کلاه", "Cap", 20),
]
AUTUMN = (dt.date(2026, 11, 22), dt.date(2026, 12, 21))  # ۱ to ۳۰ آذر ۱۴۰۵
ACROSS_MONTHS = (dt.date(2026, 11, 22), dt.date(2027, 1, 5))  # ۱ آذر to ۱۵ دی ۱۴۰۵
ONE_DAY = (dt.date(2026, 12, 7), dt.date(2026, 12, 7))
ACROSS_YEARS = (dt.date(2026, 3, 11), dt.date(2026, 3, 30))


def cases() -> dict[str, ThematicData]:
    fars = Province(name_fa="فارس", name_en="Fars")
    unnamed = Province(name_fa="قم", name_en="")
    return {
        "many products, more money than demand, no discrepancy": _data(
            *AUTUMN,
            None,
            {
                "demand_units": 14_220,
                "funded_rials": 2_500_000_000,
                "releasable_units": 20_000,
                "accepted_units": 3_000,
                "delivered_units": 2_500,
                "confirmed_units": 2_400,
            },
            PRODUCTS,
            orders=7,
            deliveries=4,
            health_centers_served=2,
        ),
        "two products, no money, nothing collected or delivered": _data(
            *ACROSS_MONTHS,
            fars,
            {"demand_units": 13_500},
            PRODUCTS[:2],
            orders=2,
        ),
        "three products, money, rejected only, discrepancies open": _data(
            *ONE_DAY,
            unnamed,
            {
                "demand_units": 14_200,
                "funded_rials": 1_000_000,
                "releasable_units": 100,
                "delivered_units": 90,
                "confirmed_units": 70,
            },
            PRODUCTS[:3],
            [_discrepancy(15, "DLV-2"), _discrepancy(5)],
            orders=3,
            rejected_units=10,
            deliveries=2,
            disputed_deliveries=2,
            health_centers_served=1,
        ),
        "no order, money for earlier orders": _data(*ACROSS_YEARS, fars, {"funded_rials": 3_000_000}),
        "nothing at all": _data(*AUTUMN, None, {}),
    }


EXPECTED = {
    "many products, more money than demand, no discrepancy": (
        "در بازهٔ ۱ تا ۳۰ آذر ۱۴۰۵ در همهٔ استان‌های تحت پوشش، ۱۲٬۰۰۰ عدد ماسک، ۱٬۵۰۰ عدد گان، ۷۰۰ عدد دستکش و اقلام"
        " دیگر در ۷ سفارش درخواست شد و ۲٬۵۰۰٬۰۰۰٬۰۰۰ ریال برای سفارش‌ها تأمین شد. کارگاه‌ها ۳٬۰۰۰ عدد را از کنترل"
        " کیفیت گذراندند. ۲٬۵۰۰ عدد در ۴ محموله برای ۲ مرکز درمانی ارسال شد و مراکز دریافت ۲٬۴۰۰ عدد را تأیید کردند."
        " هیچ مغایرتی در تحویل‌ها گزارش نشد.",
        "From 1 to 30 Azar 1405 in all covered provinces, 12,000 units of Mask, 1,500 units of Gown, 700 units of"
        " Gloves and other items were requested in 7 orders; 2,500,000,000 rials reached orders. Workshops had 3,000"
        " units accepted at the quality check. 2,500 units left for 2 health center(s) in 4 deliveries; receivers"
        " confirmed 2,400 units. No discrepancy was reported on deliveries.",
    ),
    "two products, no money, nothing collected or delivered": (
        "در بازهٔ ۱ آذر تا ۱۵ دی ۱۴۰۵ در استان فارس، ۱۲٬۰۰۰ عدد ماسک و ۱٬۵۰۰ عدد گان در ۲ سفارش درخواست شد و در این"
        " بازه مبلغی برای سفارش‌ها تأمین نشد. در این بازه محصولی از کارگاه‌ها جمع‌آوری نشد. در این بازه محموله‌ای"
        " برای مراکز درمانی ارسال نشد.",
        "From 1 Azar to 15 Dey 1405 in Fars province, 12,000 units of Mask and 1,500 units of Gown were requested in"
        " 2 orders; no money reached orders in this period. No units were collected from workshops in this period."
        " No delivery left for a health center in this period.",
    ),
    "three products, money, rejected only, discrepancies open": (
        "در بازهٔ ۱۶ آذر ۱۴۰۵ در استان قم، ۱۲٬۰۰۰ عدد ماسک، ۱٬۵۰۰ عدد گان و ۷۰۰ عدد دستکش در ۳ سفارش درخواست شد که"
        " ۱٪ آن تأمین مالی شد (۱٬۰۰۰٬۰۰۰ ریال). کارگاه‌ها ۰ عدد را از کنترل کیفیت گذراندند و ۱۰ عدد (۱۰۰٪ از"
        " جمع‌آوری‌شده‌ها) رد شد. ۹۰ عدد در ۲ محموله برای ۱ مرکز درمانی ارسال شد و مراکز دریافت ۷۰ عدد را تأیید"
        " کردند. در ۲ محموله مغایرت گزارش شد (۲۰ عدد کسری یا مرجوعی) که ۱ مورد از ۲ مورد آن با ارسال بعدی جبران شده"
        " است.",
        "From 16 Azar 1405 in قم province, 12,000 units of Mask, 1,500 units of Gown and 700 units of Gloves were"
        " requested in 3 orders; 1% of them were funded (1,000,000 rials). Workshops had 0 units accepted at the"
        " quality check and 10 rejected (100% of those collected). 90 units left for 1 health center(s) in 2"
        " deliveries; receivers confirmed 70 units. Discrepancies were reported on 2 deliveries (20 units short or"
        " refused); 1 of 2 have been made up by a later delivery.",
    ),
    "no order, money for earlier orders": (
        "در بازهٔ ۲۰ اسفند ۱۴۰۴ تا ۱۰ فروردین ۱۴۰۵ در استان فارس سفارش تازه‌ای ثبت نشد، اما ۳٬۰۰۰٬۰۰۰ ریال برای"
        " سفارش‌های پیشین تأمین شد. در این بازه محصولی از کارگاه‌ها جمع‌آوری نشد. در این بازه محموله‌ای برای مراکز"
        " درمانی ارسال نشد.",
        "From 20 Esfand 1404 to 10 Farvardin 1405 in Fars province, no new order was placed, but 3,000,000 rials"
        " reached earlier orders. No units were collected from workshops in this period. No delivery left for a"
        " health center in this period.",
    ),
    "nothing at all": (
        "در بازهٔ ۱ تا ۳۰ آذر ۱۴۰۵ در همهٔ استان‌های تحت پوشش سفارش تازه‌ای ثبت نشد. در این بازه محصولی از کارگاه‌ها"
        " جمع‌آوری نشد. در این بازه محموله‌ای برای مراکز درمانی ارسال نشد.",
        "From 1 to 30 Azar 1405 in all covered provinces, no new order was placed. No units were collected from"
        " workshops in this period. No delivery left for a health center in this period.",
    ),
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_every_branch_of_the_paragraph_reads_as_before_in_both_languages(case):
    data = cases()[case]
    persian, english = EXPECTED[case]

    assert narrative_fa(data) == persian
    assert narrative_en(data) == english
    assert (narrative(data, "fa"), narrative(data, "en")) == (persian, english)
