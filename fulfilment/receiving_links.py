"""The link printed on a delivery sheet (as a QR code) that lets the receiver confirm without logging in.

The token is signed with the project's secret (so it cannot be guessed or
altered), carries the delivery's id and short code (so it opens that delivery
only, and stops working if the short code is ever reissued), and the time it
was made: it expires ``CONFIRMATION_LINK_DAYS`` days after the sheet was printed.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.urls import reverse

from core.site import absolute_url

from .models import Delivery

CONFIRMATION_LINK_DAYS = 30
_SALT = "hamdeli.delivery-confirmation"


class LinkExpired(Exception):
    """The token was genuine but is older than ``CONFIRMATION_LINK_DAYS``: the page answers 410 Gone."""


def confirmation_token(delivery: Delivery) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(f"{delivery.pk}.{delivery.short_code}")


def confirmation_path(delivery: Delivery) -> str:
    return reverse("receiving:confirm", args=[confirmation_token(delivery)])


def confirmation_url(delivery: Delivery) -> str:
    """The absolute URL encoded in the sheet's QR code."""
    return absolute_url(confirmation_path(delivery))


def delivery_from_token(token: str) -> Delivery | None:
    """The delivery a token opens; ``None`` when it was tampered with or names no delivery.

    Raises ``LinkExpired`` for a genuine token past its lifetime.
    """
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=dt.timedelta(days=CONFIRMATION_LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature:
        return None
    pk, _, short_code = value.partition(".")
    if not pk.isdigit():
        return None
    return Delivery.objects.filter(pk=int(pk), short_code=short_code).first()
