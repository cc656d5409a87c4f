"""The collector's route sheet for one city and one day: where to go, what to expect, and columns to fill by hand.

A workshop is on the route when it has units made but not yet collected, or an
accepted quota still in production (the collector may find fresh units there).
Expected units per quota = produced − collected at the time of printing.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext as _

from core.i18n import page_is_persian
from core.jalali import format_long
from core.models import City
from production.models import Quota, QuotaStatus
from workshops.models import Workshop

HAND_FILL_COLUMNS = 5  # collected, accepted, rejected, reason, signature


def quotas_to_visit(*, city: City, workshops=None):
    """Quotas in ``city`` with units waiting for pickup or still being made, grouped by workshop in the caller."""
    waiting = Q(produced_units__gt=F("collected_units"))
    in_production = Q(status=QuotaStatus.ACCEPTED, produced_units__lt=F("quantity") - F("released_units"))
    quotas = Quota.objects.filter(waiting | in_production, workshop__city=city)
    if workshops is not None:
        quotas = quotas.filter(workshop__in=workshops)
    return quotas.select_related("workshop__owner", "order__product").order_by(
        "workshop__name", "workshop_id", "order__number"
    )


def pickup_route_stops(*, city: City, workshops=None) -> list[dict]:
    """One stop per workshop: the workshop, its quotas with expected units, and the stop's expected total."""
    stops: dict[int, dict] = {}
    for quota in quotas_to_visit(city=city, workshops=workshops):
        stop = stops.setdefault(quota.workshop_id, {"workshop": quota.workshop, "quotas": [], "expected_units": 0})
        expected = quota.produced_units - quota.collected_units
        stop["quotas"].append({"quota": quota, "expected_units": expected})
        stop["expected_units"] += expected
    return list(stops.values())


def pickup_route_pdf(
    *, city: City, day: dt.date, workshops: list[Workshop] | None = None, language: str = "fa"
) -> bytes:
    """The route for ``city`` on ``day`` as A4 landscape PDF bytes (``workshops`` narrows it to some of them)."""
    from django.template.loader import render_to_string

    from core.pdf import render_pdf  # WeasyPrint is heavy: loaded where a PDF is made

    with translation.override(language):
        persian = page_is_persian()
        stops = pickup_route_stops(city=city, workshops=workshops)
        context = {
            "organisation": _("Hamdeli"),
            "city": city,
            "province": city.province,
            "day": format_long(day, persian=persian),
            "stops": stops,
            "total_expected": sum(stop["expected_units"] for stop in stops),
            "persian": persian,
            "hand_fill_columns": range(HAND_FILL_COLUMNS),
        }
        css = render_to_string("orders/pdf/sheet.css", {"persian": persian})
        return render_pdf("orders/pdf/pickup_sheet.html", context, stylesheets=[css])
