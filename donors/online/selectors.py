"""Reads of online giving."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import OnlinePayment, OnlinePaymentStatus
from . import gateway

GATEWAY_NAMES = {"zarinpal": _("Zarinpal"), "mock": _("Mock bank (no money moves)")}
# A payment this fresh is still with its payer on the bank's page: the task leaves it to the callback.
RECHECK_AFTER = dt.timedelta(minutes=5)


def enabled_gateways() -> list[str]:
    """The names of the gateways a donor can pay through now (shown on the page); empty when it is off."""
    name = gateway.gateway_name()
    return [str(GATEWAY_NAMES[name])] if name in GATEWAY_NAMES else []


def payment_by_result_key(key: str) -> OnlinePayment | None:
    return (
        OnlinePayment.objects.select_related("pledge__order__product", "pledge__campaign")
        .filter(result_key=key)
        .first()
    )


def payments_to_recheck(now: dt.datetime | None = None) -> QuerySet[OnlinePayment]:
    now = now or timezone.now()
    return OnlinePayment.objects.filter(
        status=OnlinePaymentStatus.PENDING, created_at__lt=now - RECHECK_AFTER
    ).order_by("created_at", "pk")
