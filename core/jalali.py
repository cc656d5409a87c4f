"""Jalali (Solar Hijri) dates for people; Gregorian ``date`` for the database.

Built on jdatetime, which implements the 33-year arithmetic rule and gets
1403/12/30 (a leap Esfand) right. Month names are kept here rather than taken
from jdatetime's per-thread locale, so rendering never depends on which
request ran last on the thread.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime

from .persian import to_latin_digits, to_persian_digits

MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)

_DATE_PATTERN = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")


class JalaliDateError(ValueError):
    """Raised for text that is not a valid Jalali date.

    ``year``, ``month`` and ``days`` are set when the text had the right shape but
    the day does not exist (``days`` is then the length of that month), so the form
    can say "Mehr has 30 days" instead of only repeating the expected format.
    """

    def __init__(self, text: str, *, year: int | None = None, month: int | None = None, days: int | None = None):
        super().__init__(text)
        self.year, self.month, self.days = year, month, days


def days_in_month(year: int, month: int) -> int:
    """31 days in months 1-6, 30 in 7-11; Esfand has 29, or 30 in a leap year."""
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def to_jalali(value: dt.date) -> jdatetime.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    return jdatetime.date.fromgregorian(date=value)


def from_jalali(year: int, month: int, day: int) -> dt.date:
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        known_month = 1 <= month <= 12 and 1 <= year <= jdatetime.MAXYEAR
        raise JalaliDateError(
            f"{year}/{month}/{day} is not a Jalali date",
            year=year if known_month else None,
            month=month if known_month else None,
            days=days_in_month(year, month) if known_month and day > 0 else None,
        ) from exc


def parse_jalali(text: str) -> dt.date:
    """Parse ``1405/09/07`` (any digits, ``/``, ``-`` or ``.``) into a Gregorian date."""
    match = _DATE_PATTERN.match(to_latin_digits(text))
    if not match:
        raise JalaliDateError(f"{text!r} is not in YYYY/MM/DD form")
    year, month, day = (int(part) for part in match.groups())
    return from_jalali(year, month, day)


def jalali_year(value: dt.date) -> int:
    return to_jalali(value).year


def format_short(value: dt.date, *, persian: bool = True) -> str:
    """``۱۴۰۵/۰۹/۰۷`` (or ``1405/09/07``)."""
    j = to_jalali(value)
    text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    return to_persian_digits(text) if persian else text


def format_long(value: dt.date, *, persian: bool = True) -> str:
    """``۷ آذر ۱۴۰۵`` (or ``7 Azar 1405``)."""
    j = to_jalali(value)
    if persian:
        return f"{to_persian_digits(j.day)} {MONTHS_FA[j.month - 1]} {to_persian_digits(j.year)}"
    return f"{j.day} {MONTHS_EN[j.month - 1]} {j.year}"


def file_date(value: dt.date) -> str:
    """``1405-09-10``: the Jalali date people planned the day by, in Latin digits (safe in any file name).

    Every file the product names after a day (sheet batches, pickup routes, exports, reports) uses it.
    """
    return format_short(value, persian=False).replace("/", "-")
