"""The receipt as an A5 Persian PDF (WeasyPrint through ``core.pdf.render_pdf``), original or «رونوشت» copy."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from core.jalali import format_long
from core.persian import group_thousands
from core.site import qr_svg_data_uri
from core.words import number_to_words

from ..models import Pledge
from .models import Receipt
from .tokens import verify_url

ANONYMOUS_NAME = "ناشناس"


def receipt_pdf(receipt: Receipt, *, copy: bool = False) -> bytes:
    """The receipt as A5 Persian PDF bytes (``copy=True`` adds the «رونوشت» mark).

    It carries what a donor needs for her records: the bank's reference and date of the payment, and the
    issuing organisation's name, registration number, address and phone (``HAMDELI_ORG_*`` settings).
    """
    pledge = Pledge.objects.select_related("donor__user", "order__product", "order__health_center", "campaign").get(
        pk=receipt.pledge_id
    )
    from core.pdf import render_pdf  # WeasyPrint is heavy: loaded by the worker, not by every web process

    url = verify_url(receipt)
    with translation.override("fa"):
        context = {
            "receipt": receipt,
            "copy": copy,
            "donor_name": ANONYMOUS_NAME if pledge.is_anonymous else pledge.donor.user.full_name,
            "order": pledge.order,
            "campaign": pledge.campaign,
            "issued_on": format_long(receipt.issued_on),
            "amount": group_thousands(receipt.amount_rials, persian=True),
            "amount_words": number_to_words(receipt.amount_rials),
            "bank_reference": pledge.bank_reference,
            "received_on": format_long(pledge.received_on) if pledge.received_on else "",
            "pledge_reference": pledge.reference,
            "org": {
                "name": settings.HAMDELI_ORG_NAME,
                "registration": settings.HAMDELI_ORG_REGISTRATION,
                "address": settings.HAMDELI_ORG_ADDRESS,
                "phone": settings.HAMDELI_ORG_PHONE,
            },
            "verify_url": url,
            "qr": qr_svg_data_uri(url),
        }
        return render_pdf("donors/receipts/pdf.html", context)
