"""Receipts of confirmed pledges: the row (numbered in the transaction that confirms), the stored PDF, the copies.

* ``receipt_issue`` is called by ``pledge_confirm`` in its transaction: ``RCP-<Jalali year>-NNNNNN`` from
  ``core.sequences.next_number`` (gap-free per year, locked), amount = the amount actually received.
* ``receipt_store_pdf`` renders (``pdf.receipt_pdf``) and stores the original PDF (the Celery task
  ``receipt_generate`` after commit; a second run does nothing).
* ``receipt_download``: the first download serves the stored original; every later one is rendered on the fly
  with «رونوشت» (copy) on it — only the original is stored. Downloads by a coordinator count too: a receipt
  that has left the system once is the original.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import log_action
from core.sequences import next_number

from ..models import Pledge
from .models import Receipt
from .pdf import receipt_pdf


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
