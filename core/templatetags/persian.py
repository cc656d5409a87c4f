"""Template filters for Jalali dates and Persian numbers.

Loaded as a builtin (see TEMPLATES in settings), so every template can use
``{{ order.needed_by|jalali }}`` or ``{{ amount|num }}`` without ``{% load %}``.
In the English UI dates stay Jalali (that is the calendar people plan in) but
with Latin digits and transliterated month names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from .. import jalali as jalali_dates
from ..persian import group_thousands, to_persian_digits

register = template.Library()


def _persian() -> bool:
    return not (get_language() or "fa").startswith("en")


def _as_date(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def jalali(value):
    """``۱۴۰۵/۰۹/۰۷``"""
    if not isinstance(value, dt.date):
        return value if value is not None else ""
    return jalali_dates.format_short(_as_date(value), persian=_persian())


@register.filter
def jalali_long(value):
    """``۷ آذر ۱۴۰۵``"""
    if not isinstance(value, dt.date):
        return value if value is not None else ""
    return jalali_dates.format_long(_as_date(value), persian=_persian())


@register.filter
def jalali_datetime(value):
    """``۱۴۰۵/۰۹/۰۷ ۱۴:۳۰`` in Tehran time."""
    if not isinstance(value, dt.datetime):
        return jalali(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = f"{jalali_dates.format_short(local.date(), persian=False)} {local:%H:%M}"
    return to_persian_digits(text) if _persian() else text


@register.filter
def num(value):
    """Thousands-grouped number, Persian digits in the Persian UI: ``۱۲٬۵۰۰``."""
    if isinstance(value, bool) or value is None or value == "":
        return value
    if isinstance(value, (int, float, Decimal)):
        return group_thousands(value, persian=_persian())
    return digits(value)


@register.filter
def digits(value):
    """Any text with Persian digits in the Persian UI (phone numbers, codes)."""
    if value is None:
        return ""
    return to_persian_digits(value) if _persian() else str(value)
