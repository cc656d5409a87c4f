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
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .. import jalali as jalali_dates
from ..audit import list_separator
from ..i18n import page_is_persian
from ..persian import group_thousands, to_latin_digits, to_persian_digits

register = template.Library()


def _as_date(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def jalali(value):
    """``۱۴۰۵/۰۹/۰۷``"""
    if not isinstance(value, dt.date):
        return value if value is not None else ""
    return jalali_dates.format_short(_as_date(value), persian=page_is_persian())


@register.filter
def jalali_long(value):
    """``۷ آذر ۱۴۰۵``"""
    if not isinstance(value, dt.date):
        return value if value is not None else ""
    return jalali_dates.format_long(_as_date(value), persian=page_is_persian())


@register.filter
def jalali_datetime(value):
    """``۱۴۰۵/۰۹/۰۷ ۱۴:۳۰`` in Tehran time."""
    if not isinstance(value, dt.datetime):
        return jalali(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = f"{jalali_dates.format_short(local.date(), persian=False)} {local:%H:%M}"
    return to_persian_digits(text) if page_is_persian() else text


@register.filter
def num(value):
    """Thousands-grouped number, Persian digits in the Persian UI: ``۱۲٬۵۰۰``.

    Plain text (sentences and tests read it as such). Where a figure stands alone in a box that may be
    narrow, the box keeps it on one line: ``NumberColumn`` cells (class ``num``) and ``.figure`` in app.css.
    """
    if isinstance(value, bool) or value is None or value == "":
        return value
    if isinstance(value, (int, float, Decimal)):
        return group_thousands(value, persian=page_is_persian())
    return digits(value)


@register.filter
def percent(value):
    """A whole percent with the language's sign: ``۴۵٪`` (Persian percent sign) or ``45%``."""
    if value is None or value == "":
        return ""
    return format_html('<span class="num">{}{}</span>', num(value), "٪" if page_is_persian() else "%")


@register.filter
def code(value) -> SafeString | str:
    """A document code (``ORD-1405-000123``) as people type and quote it: Latin, in a left-to-right isolate.

    One rule for codes on every page, PDF and SMS: Latin characters and digits, never Persian digits.
    """
    if value is None or value == "":
        return ""
    return format_html('<bdi class="doc-code" dir="ltr">{}</bdi>', to_latin_digits(str(value)))


def code_text(value) -> str:
    """A code in plain text (messages, SMS): Latin, between Unicode LTR-isolate marks so it keeps its order."""
    return "\u2066" + to_latin_digits(str(value)) + "\u2069"


@register.filter
def bdi(value) -> SafeString | str:
    """``value`` in its own bidi isolate, so a code or number never swaps places with the words around it."""
    if value is None or value == "":
        return value
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def sep() -> str:
    """Between two items on one line: a Persian comma in Persian (``·`` beside Persian digits reads as zero)."""
    return "، " if page_is_persian() else " · "


@register.simple_tag
def places(*parts) -> str:
    """``{% places city province %}``: joined with the language's comma, ``تهران، تهران``."""
    items = [str(item) for item in parts if item not in (None, "")]
    return list_separator().join(items)


@register.filter
def digits(value):
    """Any text with Persian digits in the Persian UI (phone numbers, codes)."""
    if value is None:
        return ""
    return to_persian_digits(value) if page_is_persian() else str(value)


@register.simple_tag
def scrollable(label: str = "") -> SafeString:
    """Attributes of a sideways-scrolling box (table, chart): reachable and named for keyboard users.

    ``<div class="table-wrap" {% scrollable %}>``; a box that scrolls but cannot take focus cannot be
    scrolled without a mouse (axe-core: scrollable-region-focusable).
    """
    return format_html('tabindex="0" role="region" aria-label="{}"', label or _("Scrollable table"))
