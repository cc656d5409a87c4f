"""The delivery sheet (برگه تحویل): the A4 paper that travels with a delivery and is signed on arrival.

One row per delivery line (one quota). The source workshop appears as its city
only: workshop names are private unless the owner agreed to show them. The QR
code opens the receiver's confirmation page; the short code and a short address
are printed too, for a receiver whose phone cannot scan.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterable

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.i18n import page_is_persian
from core.jalali import format_long
from core.persian import group_thousands
from core.site import absolute_url, qr_svg_data_uri
from core.words import number_to_words, number_to_words_en

from .models import Delivery, DeliveryLine
from .receiving_links import confirmation_url

STYLESHEET_TEMPLATE = "orders/pdf/sheet.css"


def enter_code_url() -> str:
    """Where a receiver types the short code by hand (the page may not exist yet on older deployments)."""
    try:
        path = reverse("receiving:enter-code")
    except NoReverseMatch:
        path = "/receive/"
    return absolute_url(path)


def units_in_words(units: int, *, persian: bool) -> str:
    """Persian words on the Persian sheet, English words on the English one."""
    return number_to_words(units) if persian else number_to_words_en(units)


def workshop_label(workshop) -> str:
    """The workshop's city, plus its name only when the owner agreed to make it public."""
    city = str(workshop.city)
    if workshop.public_name_consent:
        return f"{workshop.name} ({city})"
    return city


def delivery_sheet_context(delivery: Delivery) -> dict:
    """Everything the sheet shows, computed in the active language."""
    persian = page_is_persian()
    if "lines" in getattr(delivery, "_prefetched_objects_cache", {}):
        lines = list(delivery.lines.all())  # a batch fetched them for all its sheets at once (sheet_deliveries)
    else:
        lines = list(_sheet_lines())
    rows = [
        {
            "index": index,
            "product": line.quota.order.product,
            "order_number": line.quota.order.number,
            "source": workshop_label(line.quota.workshop),
            "units": line.units,
            "units_words": units_in_words(line.units, persian=persian),
        }
        for index, line in enumerate(lines, start=1)
    ]
    total_units = sum(line.units for line in lines)
    url = confirmation_url(delivery)
    return {
        "delivery": delivery,
        "organisation": _("Hamdeli"),
        "center": delivery.health_center,
        "planned_date": format_long(delivery.planned_date, persian=persian),
        "rows": rows,
        "total_units": total_units,
        "total_units_text": group_thousands(total_units, persian=persian),
        "total_words": units_in_words(total_units, persian=persian),
        "confirmation_url": url,
        "qr": qr_svg_data_uri(url),
        "enter_code_url": enter_code_url(),
        "persian": persian,
    }


def _sheet_lines():
    return DeliveryLine.objects.select_related("quota__order__product", "quota__workshop__city").order_by(
        "quota__order__number", "id"
    )


def sheet_deliveries(ids: Iterable[int]) -> list[Delivery]:
    """The deliveries with everything their sheets show, in the order of ``ids``, in two queries.

    Ids of deliveries that no longer exist are left out.
    """
    ids = list(ids)
    found = Delivery.objects.select_related("health_center__city", "health_center__province").prefetch_related(
        Prefetch("lines", queryset=_sheet_lines())
    )
    by_id = {delivery.pk: delivery for delivery in found.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


_kits = threading.local()
# Dropped before the interpreter tears its modules down: the font configuration's clean-up needs them.
atexit.register(lambda: _kits.__dict__.pop("kit", None))


def sheet_kit():
    """This thread's WeasyPrint setup for sheets: fonts and the parsed stylesheet are reused by every sheet.

    One per thread: WeasyPrint's font configuration is not meant to be shared between threads
    (``runserver`` answers requests in threads; Celery's prefork children and gunicorn's sync workers do not).
    """
    kit = getattr(_kits, "kit", None)
    if kit is None:
        from core.pdf import PdfKit  # WeasyPrint is heavy: loaded where a PDF is made, not by every process

        kit = _kits.kit = PdfKit()
    return kit


def delivery_sheet_document(delivery: Delivery, *, language: str = "fa"):
    """The sheet laid out by WeasyPrint (a ``weasyprint.Document``); ``core.pdf.write_documents`` writes sheets.

    Give a delivery from ``sheet_deliveries`` (no query here); any other is read again with its lines.
    """
    from django.template.loader import render_to_string

    if "lines" not in getattr(delivery, "_prefetched_objects_cache", {}):
        delivery = sheet_deliveries([delivery.pk])[0]
    with translation.override(language):
        context = delivery_sheet_context(delivery)
        css = render_to_string(STYLESHEET_TEMPLATE, {"persian": context["persian"]})
        html = render_to_string("orders/pdf/delivery_sheet.html", context)
    return sheet_kit().document(html, stylesheets=[css])


def delivery_sheet_pdf(delivery: Delivery, *, language: str = "fa") -> bytes:
    """The delivery's sheet as A4 PDF bytes, in ``language`` ("fa": RTL with Persian digits, or "en")."""
    return delivery_sheet_document(delivery, language=language).write_pdf()
