"""The short paragraph that opens the thematic report, written from its numbers.

Built once, in English msgids translated to Persian (``locale/fa``): each
sentence is one whole msgid, so a translator sees it with all its numbers.
Every figure goes through ``_n`` (Persian digits and ``٬`` separators in
Persian); a percentage is only written when its base is not zero, and each
sentence has its own wording for "nothing happened", so the paragraph never
says "NaN%" or "0% of 0".
"""

from __future__ import annotations

import datetime as dt

import jdatetime
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

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
    shown = [
        _("%(units)s units of %(product)s") % {"units": _n(units, persian=persian), "product": fa if persian else en}
        for fa, en, units in data.product_names[:MAX_PRODUCTS_NAMED]
    ]
    if len(data.product_names) > MAX_PRODUCTS_NAMED:
        shown.append(_("other items"))
    if len(shown) < 2:
        return "".join(shown)
    # Translators: between the items of a list, as in "a, b and c".
    items = pgettext("list separator", ", ").join(shown[:-1])
    return _("%(items)s and %(last)s") % {"items": items, "last": shown[-1]}


def _place(data: ThematicData, *, persian: bool) -> str:
    if data.province is None:
        return _("all covered provinces")
    name = data.province.name_fa if persian else data.province.name_en or data.province.name_fa
    return _("%(province)s province") % {"province": name}


def _demand_and_money(data: ThematicData, *, persian: bool) -> str:
    """The first sentence: what was ordered in the period, and the money that reached orders."""
    s = data.summary
    values = {
        "period": jalali_period(data.start, data.end, persian=persian),
        "place": _place(data, persian=persian),
        "rials": _n(s.funded_rials, persian=persian),
    }
    if not s.ordered_units:
        if s.funded_rials > 0:
            return (
                _("From %(period)s in %(place)s, no new order was placed, but %(rials)s rials reached earlier orders.")
                % values
            )
        return _("From %(period)s in %(place)s, no new order was placed.") % values
    values |= {"products": _products(data, persian=persian), "orders": _n(s.orders, persian=persian)}
    percent = s.funded_percent
    if s.funded_rials > 0 and percent is not None and percent <= 100:
        values["percent"] = _pct(percent, persian=persian)
        text = ngettext(
            "From %(period)s in %(place)s, %(products)s were requested in %(orders)s order;"
            " %(percent)s of them were funded (%(rials)s rials).",
            "From %(period)s in %(place)s, %(products)s were requested in %(orders)s orders;"
            " %(percent)s of them were funded (%(rials)s rials).",
            s.orders,
        )
    elif s.funded_rials > 0:  # money of the period also reached older orders
        text = ngettext(
            "From %(period)s in %(place)s, %(products)s were requested in %(orders)s order;"
            " %(rials)s rials reached orders.",
            "From %(period)s in %(place)s, %(products)s were requested in %(orders)s orders;"
            " %(rials)s rials reached orders.",
            s.orders,
        )
    else:
        text = ngettext(
            "From %(period)s in %(place)s, %(products)s were requested in %(orders)s order;"
            " no money reached orders in this period.",
            "From %(period)s in %(place)s, %(products)s were requested in %(orders)s orders;"
            " no money reached orders in this period.",
            s.orders,
        )
    return text % values


def _quality_check(data: ThematicData, *, persian: bool) -> str:
    s = data.summary
    if not (s.accepted_units or s.rejected_units):
        return _("No units were collected from workshops in this period.")
    values = {"accepted": _n(s.accepted_units, persian=persian)}
    if not s.rejected_units:
        return _("Workshops had %(accepted)s units accepted at the quality check.") % values
    values |= {"rejected": _n(s.rejected_units, persian=persian), "percent": _pct(s.rejected_percent, persian=persian)}
    return (
        _(
            "Workshops had %(accepted)s units accepted at the quality check and %(rejected)s rejected"
            " (%(percent)s of those collected)."
        )
        % values
    )


def _deliveries(data: ThematicData, *, persian: bool) -> str:
    s = data.summary
    if not s.delivered_units:
        return _("No delivery left for a health center in this period.")
    return _(
        "%(delivered)s units left for %(centers)s health center(s) in %(deliveries)s deliveries;"
        " receivers confirmed %(confirmed)s units."
    ) % {
        "delivered": _n(s.delivered_units, persian=persian),
        "centers": _n(s.health_centers_served, persian=persian),
        "deliveries": _n(s.deliveries, persian=persian),
        "confirmed": _n(s.confirmed_units, persian=persian),
    }


def _discrepancies(data: ThematicData, *, persian: bool) -> str | None:
    if not data.discrepancies:
        return _("No discrepancy was reported on deliveries.") if data.summary.delivered_units else None
    return _(
        "Discrepancies were reported on %(disputed)s deliveries (%(short)s units short or refused);"
        " %(resolved)s of %(total)s have been made up by a later delivery."
    ) % {
        "disputed": _n(data.summary.disputed_deliveries, persian=persian),
        "short": _n(data.shortfall_units, persian=persian),
        "resolved": _n(data.resolved_discrepancies, persian=persian),
        "total": _n(len(data.discrepancies), persian=persian),
    }


def narrative(data: ThematicData, language: str) -> str:
    """The paragraph in ``language`` ("en", or Persian for anything else, as the report's files)."""
    persian = language != "en"
    with translation.override("en" if not persian else "fa"):
        sentences = [
            _demand_and_money(data, persian=persian),
            _quality_check(data, persian=persian),
            _deliveries(data, persian=persian),
            _discrepancies(data, persian=persian),
        ]
    return " ".join(sentence for sentence in sentences if sentence)


def narrative_fa(data: ThematicData) -> str:
    return narrative(data, "fa")


def narrative_en(data: ThematicData) -> str:
    return narrative(data, "en")
