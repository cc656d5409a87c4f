"""The short paragraph that opens the thematic report, written from its numbers (Persian or English).

Every figure goes through ``_n`` (Persian digits and ``٬`` separators in
Persian); a percentage is only written when its base is not zero, and each
sentence has its own wording for "nothing happened", so the paragraph never
says "NaN%" or "0% of 0".
"""

from __future__ import annotations

import datetime as dt

import jdatetime

from core.jalali import MONTHS_EN, MONTHS_FA, to_jalali
from core.persian import group_thousands, to_persian_digits

from .thematic import ThematicData

MAX_PRODUCTS_NAMED = 3


def _n(value: int, *, persian: bool) -> str:
    return group_thousands(value, persian=persian)


def _pct(value: int, *, persian: bool) -> str:
    return f"{to_persian_digits(value)}٪" if persian else f"{value}%"


def jalali_period(start: dt.date, end: dt.date, *, persian: bool) -> str:
    """``۱ تا ۳۰ آذر ۱۴۰۵``, ``۱ آذر تا ۱۵ دی ۱۴۰۵`` or ``۲۰ اسفند ۱۴۰۴ تا ۱۰ فروردین ۱۴۰۵`` (or in English)."""
    first, last = to_jalali(start), to_jalali(end)
    months = MONTHS_FA if persian else MONTHS_EN
    digits = to_persian_digits if persian else str
    to = " تا " if persian else " to "

    def day_month(j: jdatetime.date) -> str:
        return f"{digits(j.day)} {months[j.month - 1]}"

    if first == last:
        return f"{day_month(first)} {digits(first.year)}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{digits(first.day)}{to}{day_month(last)} {digits(last.year)}"
    if first.year == last.year:
        return f"{day_month(first)}{to}{day_month(last)} {digits(last.year)}"
    return f"{day_month(first)} {digits(first.year)}{to}{day_month(last)} {digits(last.year)}"


def _products(data: ThematicData, *, persian: bool) -> str:
    names = data.product_names
    if not names:
        return ""
    shown = [
        f"{_n(units, persian=persian)} {'عدد' if persian else 'units of'} {fa if persian else en}"
        for fa, en, units in names[:MAX_PRODUCTS_NAMED]
    ]
    if len(names) > MAX_PRODUCTS_NAMED:
        shown.append("اقلام دیگر" if persian else "other items")
    if len(shown) == 1:
        return shown[0]
    joiner = "، " if persian else ", "
    last = " و " if persian else " and "
    return joiner.join(shown[:-1]) + last + shown[-1]


def narrative_fa(data: ThematicData) -> str:
    s, p = data.summary, True
    where = f"استان {data.province.name_fa}" if data.province else "همهٔ استان‌های تحت پوشش"
    sentences = []
    intro = f"در بازهٔ {jalali_period(data.start, data.end, persian=p)} در {where}"
    if s.ordered_units:
        sentence = f"{intro}، {_products(data, persian=p)} در {_n(s.orders, persian=p)} سفارش درخواست شد"
        percent = s.funded_percent
        if s.funded_rials > 0 and percent is not None and percent <= 100:
            sentence += f" که {_pct(percent, persian=p)} آن تأمین مالی شد ({_n(s.funded_rials, persian=p)} ریال)"
        elif s.funded_rials > 0:  # money of the period also reached older orders
            sentence += f" و {_n(s.funded_rials, persian=p)} ریال برای سفارش‌ها تأمین شد"
        else:
            sentence += " و در این بازه مبلغی برای سفارش‌ها تأمین نشد"
        sentences.append(sentence + ".")
    elif s.funded_rials > 0:
        sentences.append(
            f"{intro} سفارش تازه‌ای ثبت نشد، اما {_n(s.funded_rials, persian=p)} ریال برای سفارش‌های پیشین تأمین شد."
        )
    else:
        sentences.append(f"{intro} سفارش تازه‌ای ثبت نشد.")
    if s.accepted_units or s.rejected_units:
        sentence = f"کارگاه‌ها {_n(s.accepted_units, persian=p)} عدد را از کنترل کیفیت گذراندند"
        if s.rejected_units:
            sentence += (
                f" و {_n(s.rejected_units, persian=p)} عدد"
                f" ({_pct(s.rejected_percent, persian=p)} از جمع‌آوری‌شده‌ها) رد شد"
            )
        sentences.append(sentence + ".")
    else:
        sentences.append("در این بازه محصولی از کارگاه‌ها جمع‌آوری نشد.")
    if s.delivered_units:
        sentences.append(
            f"{_n(s.delivered_units, persian=p)} عدد در {_n(s.deliveries, persian=p)} محموله برای"
            f" {_n(s.health_centers_served, persian=p)} مرکز درمانی ارسال شد و مراکز دریافت"
            f" {_n(s.confirmed_units, persian=p)} عدد را تأیید کردند."
        )
    else:
        sentences.append("در این بازه محموله‌ای برای مراکز درمانی ارسال نشد.")
    if data.discrepancies:
        sentences.append(
            f"در {_n(s.disputed_deliveries, persian=p)} محموله مغایرت گزارش شد"
            f" ({_n(data.shortfall_units, persian=p)} عدد کسری یا مرجوعی) که"
            f" {_n(data.resolved_discrepancies, persian=p)} مورد از {_n(len(data.discrepancies), persian=p)}"
            " مورد آن با ارسال بعدی جبران شده است."
        )
    elif s.delivered_units:
        sentences.append("هیچ مغایرتی در تحویل‌ها گزارش نشد.")
    return " ".join(sentences)


def narrative_en(data: ThematicData) -> str:
    s, p = data.summary, False
    where = f"{data.province.name_en or data.province.name_fa} province" if data.province else "all covered provinces"
    sentences = []
    intro = f"From {jalali_period(data.start, data.end, persian=p)} in {where}"
    if s.ordered_units:
        orders = "order" if s.orders == 1 else "orders"
        sentence = f"{intro}, {_products(data, persian=p)} were requested in {_n(s.orders, persian=p)} {orders}"
        percent = s.funded_percent
        if s.funded_rials > 0 and percent is not None and percent <= 100:
            sentence += f"; {_pct(percent, persian=p)} of them were funded ({_n(s.funded_rials, persian=p)} rials)"
        elif s.funded_rials > 0:  # money of the period also reached older orders
            sentence += f"; {_n(s.funded_rials, persian=p)} rials reached orders"
        else:
            sentence += "; no money reached orders in this period"
        sentences.append(sentence + ".")
    elif s.funded_rials > 0:
        sentences.append(
            f"{intro}, no new order was placed, but {_n(s.funded_rials, persian=p)} rials reached earlier orders."
        )
    else:
        sentences.append(f"{intro}, no new order was placed.")
    if s.accepted_units or s.rejected_units:
        sentence = f"Workshops had {_n(s.accepted_units, persian=p)} units accepted at the quality check"
        if s.rejected_units:
            sentence += (
                f" and {_n(s.rejected_units, persian=p)} rejected"
                f" ({_pct(s.rejected_percent, persian=p)} of those collected)"
            )
        sentences.append(sentence + ".")
    else:
        sentences.append("No units were collected from workshops in this period.")
    if s.delivered_units:
        sentences.append(
            f"{_n(s.delivered_units, persian=p)} units left for {_n(s.health_centers_served, persian=p)} health"
            f" center(s) in {_n(s.deliveries, persian=p)} deliveries; receivers confirmed"
            f" {_n(s.confirmed_units, persian=p)} units."
        )
    else:
        sentences.append("No delivery left for a health center in this period.")
    if data.discrepancies:
        sentences.append(
            f"Discrepancies were reported on {_n(s.disputed_deliveries, persian=p)} deliveries"
            f" ({_n(data.shortfall_units, persian=p)} units short or refused);"
            f" {_n(data.resolved_discrepancies, persian=p)} of {_n(len(data.discrepancies), persian=p)}"
            " have been made up by a later delivery."
        )
    elif s.delivered_units:
        sentences.append("No discrepancy was reported on deliveries.")
    return " ".join(sentences)


def narrative(data: ThematicData, language: str) -> str:
    return narrative_en(data) if language == "en" else narrative_fa(data)
