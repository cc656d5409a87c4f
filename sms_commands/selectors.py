"""Reads of the SMS room: who sent a message, the owner's quotas by SMS, a delivery by its code, the log."""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import User
from core.scoping import scope_by_province
from core.validators import normalize_mobile
from fulfilment.models import Delivery
from fulfilment.selectors.receiving import delivery_with_short_code
from production.models import Quota, QuotaStatus
from production.selectors.quotas import quotas_of_owner

from .models import InboundMessage


def sender_user(number: str) -> User | None:
    """The active user with this mobile number, with her workshop and health center; None for anyone else."""
    return (
        User.objects.select_related("workshop", "health_center")
        .filter(mobile=normalize_mobile(number), is_active=True)
        .first()
    )


def message_with_gateway_id(gateway_id: str) -> InboundMessage | None:
    return InboundMessage.objects.filter(gateway_id=gateway_id).first()


def sms_quotas_of_owner(user: User) -> list[Quota]:
    """The owner's offered and accepted quotas, the ones an SMS may name (status lists them)."""
    return list(quotas_of_owner(user).filter(status__in=(QuotaStatus.OFFERED, QuotaStatus.ACCEPTED)).order_by("id"))


def owner_quota(user: User, quota_id: int) -> Quota | None:
    """The owner's quota with this id; another workshop's quota is simply not found."""
    return quotas_of_owner(user).filter(pk=quota_id).first()


def delivery_by_code(code: str) -> Delivery | None:
    return delivery_with_short_code(code)


def message_log(user: User) -> QuerySet[InboundMessage]:
    """The inbound messages of the coordinator's provinces, newest first, with their senders."""
    return scope_by_province(InboundMessage.objects.select_related("user", "province"), user)
