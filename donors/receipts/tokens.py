"""The receipt's public check: its QR code links to ``/receipts/verify/<token>/``.

The token is ``django.core.signing`` of the receipt id; the page shows number, date and amount only. The
absolute link uses ``settings.HAMDELI_SITE_URL`` (else the first ``CSRF_TRUSTED_ORIGINS`` entry, else
``http://127.0.0.1:8000``).
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from core.site import site_url

from .models import Receipt

VERIFY_SALT = "donors.receipt.verify"


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
