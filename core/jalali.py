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
    """Raised for text that is not a valid Jalali date."""


def to_jalali(value: dt.date) -> jdatetime.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    return jdatetime.date.fromgregorian(date=value)


def from_jalali(year: int, month: int, day: int) -> dt.date:
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        raise JalaliDateError(f"{year}/{month}/{day} is not a Jalali date") from exc


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
