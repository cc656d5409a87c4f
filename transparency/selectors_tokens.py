"""Reads behind the coordinator's API tokens: her token page, the key check, and what each token may read.

The province endpoints show the rows her pages show, through the rooms' own selectors (``orders_in_scope``,
``order_list``, ``delivery_list``): one definition of her scope, so a token never sees more than she does.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.permissions import sees_all_provinces
from core.scoping import scope_by_province
from fulfilment.models import Delivery
from fulfilment.selectors.deliveries import delivery_list
from orders.models import Order
from orders.selectors import order_list, orders_in_scope
from production.models import Quota
from workshops.models import Workshop

from .models import ApiToken
from .services import key_fingerprint


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    """Her own tokens; a national coordinator (or a superuser) sees everyone's, so she can revoke a leaked one."""
    tokens = ApiToken.objects.select_related("owner")
    if sees_all_provinces(user):
        return tokens
    return tokens.filter(owner_id=user.pk)


def token_by_key(key: str) -> ApiToken | None:
    """The working token whose key is ``key`` (not revoked, its owner's account active), or None."""
    if not key or len(key) > 200:
        return None
    return (
        ApiToken.objects.select_related("owner")
        .filter(key_hash=key_fingerprint(key), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )


def token_issued_with(user, submission_key) -> ApiToken | None:
    return ApiToken.objects.filter(owner_id=user.pk, submission_key=submission_key).first()


# --- What a token reads ----------------------------------------------------------------------------------------


def province_orders(user, status: str | None = None) -> QuerySet[Order]:
    """Her order list's rows (allocated and produced units, the stale flag), newest first."""
    orders = order_list(user).select_related("health_center__province", "product")
    return orders.filter(status=status) if status else orders


def province_quotas(user, status: str | None = None) -> QuerySet[Quota]:
    """Quotas she sees: those of her orders (the order page) and of her workshops (the workshop page)."""
    quotas = Quota.objects.select_related("order", "order__product", "workshop__province").filter(
        Q(order__in=orders_in_scope(user).values("pk"))
        | Q(workshop__in=scope_by_province(Workshop.objects.all(), user).values("pk"))
    )
    quotas = quotas.order_by("-offered_at", "-pk")
    return quotas.filter(status=status) if status else quotas


def province_deliveries(user, status: str | None = None) -> QuerySet[Delivery]:
    """Her delivery list's rows, with their units and lines, newest planned first."""
    deliveries = delivery_list(user)
    return deliveries.filter(status=status) if status else deliveries
