"""Receipts of confirmed pledges: the row (numbered in the transaction that confirms), the PDF, the copies.

* ``receipt_issue`` is called by ``pledge_confirm`` in its transaction: ``RCP-<Jalali year>-NNNNNN`` from
  ``core.sequences.next_number`` (gap-free per year, locked), amount = the amount actually received.
* ``receipt_store_pdf`` renders and stores the original PDF (the Celery task ``receipt_generate`` after commit;
  a second run does nothing).
* ``receipt_download``: the first download serves the stored original; every later one is rendered on the fly
  with «رونوشت» (copy) on it — only the original is stored. Downloads by a coordinator count too: a receipt
  that has left the system once is the original.
* The QR code links to ``/receipts/verify/<token>/`` (token: ``django.core.signing`` of the receipt id), a
  public page showing number, date and amount only. The absolute link uses ``settings.HAMDELI_SITE_URL``
  (else the first ``CSRF_TRUSTED_ORIGINS`` entry, else ``http://127.0.0.1:8000``).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from core.audit import log_action
from core.jalali import format_long
from core.persian import group_thousands
from core.sequences import next_number
from core.site import qr_svg_data_uri, site_url
from core.words import number_to_words

from .models import Pledge, Receipt

VERIFY_SALT = "donors.receipt.verify"
ANONYMOUS_NAME = "ناشناس"


def receipt_issue(*, pledge: Pledge, actor=None) -> Receipt:
    """The receipt of a received pledge; issuing twice returns the first one. Call inside the confirming transaction."""
    existing = Receipt.objects.filter(pledge=pledge).first()
    if existing is not None:
        return existing
    issued_on = timezone.localdate()
    receipt = Receipt.objects.create(
        pledge=pledge,
        number=next_number("RCP", on=issued_on),
        issued_on=issued_on,
        amount_rials=pledge.received_amount_rials or pledge.amount_rials,
    )
    log_action(actor=actor, obj=receipt, action="receipt.issue", changes={"number": [None, receipt.number]})
    return receipt


def verify_token(receipt: Receipt) -> str:
    return signing.dumps(receipt.pk, salt=VERIFY_SALT)


def receipt_from_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=VERIFY_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def verify_url(receipt: Receipt) -> str:
    return site_url() + reverse("receipts:verify", args=[verify_token(receipt)])


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
        return render_pdf("donors/pdf/receipt.html", context)


def receipt_store_pdf(receipt_id: int) -> Receipt:
    """Render and store the original PDF once; a receipt that has its file is left alone."""
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt_id)
        if receipt.pdf and receipt.pdf.storage.exists(receipt.pdf.name):
            return receipt
        receipt.pdf.save(f"{receipt.number}.pdf", ContentFile(receipt_pdf(receipt)), save=True)
    return receipt


def receipt_download(receipt: Receipt) -> tuple[bytes, bool]:
    """``(pdf bytes, is_copy)``: the stored original the first time, a «رونوشت» copy afterwards."""
    Receipt.objects.filter(pk=receipt.pk).update(download_count=F("download_count") + 1)
    count = Receipt.objects.values_list("download_count", flat=True).get(pk=receipt.pk)
    if count == 1:
        receipt = receipt_store_pdf(receipt.pk)  # normally already stored by the task
        with receipt.pdf.open("rb") as handle:
            return handle.read(), False
    return receipt_pdf(receipt, copy=True), True
