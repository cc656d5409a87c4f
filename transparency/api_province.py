"""The open-data API with a coordinator's token: her provinces' orders, quotas and deliveries and their statuses.

``Authorization: Bearer <key>`` (issued on her token page). The rows are those her pages show, through the
rooms' selectors (``transparency.selectors_tokens``). An unknown or revoked key gets 401, a key whose owner is no
longer a coordinator 403; each token has its own rate limit, and an address sending wrong keys is slowed down
too (a wrong key gets no further than the key check, so the per-token limit cannot count it).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema
from ninja.errors import HttpError, Throttled
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from core.permissions import user_can
from fulfilment.models import DeliveryStatus
from orders.models import OrderStatus
from production.models import QuotaStatus

from .api_common import one_page, page_number
from .selectors_tokens import province_deliveries, province_orders, province_quotas, token_by_key
from .services import CAPABILITY, api_token_used

RATE_PER_KEY = "60/m"
WRONG_KEYS_RATE = "20/m"


class TokenRateThrottle(AuthRateThrottle):
    """Per token, by its id (ninja's own key is the token's text, which is its name)."""

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}


class _WrongKeys(AnonRateThrottle):
    scope = "wrong-key"


_wrong_keys = _WrongKeys(WRONG_KEYS_RATE)


class CoordinatorToken(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = token_by_key(token)
        if api_token is None:
            if not _wrong_keys.allow_request(request):
                raise Throttled(wait=_wrong_keys.wait())
            return None  # 401
        if not user_can(api_token.owner, CAPABILITY):
            raise HttpError(403, "This token's owner is no longer a coordinator; it reads nothing.")
        api_token_used(token=api_token)
        return api_token


router = Router(auth=CoordinatorToken(), throttle=[TokenRateThrottle(RATE_PER_KEY)], tags=["province"])

PAGE = Query("1", max_length=20, description="1, 2, ... (100 rows a page)")


class Page(Schema):
    count: int
    page: int
    pages: int


class OrderOut(Schema):
    number: str
    status: str
    priority: str
    health_center: str
    province_code: str
    product_code: str
    quantity: int
    needed_by: dt.date
    created_at: dt.datetime
    units_allocated: int
    units_produced: int
    confirmed_funds_rials: int
    stale: bool


class OrderPage(Page):
    results: list[OrderOut]


@router.get("/orders", response=OrderPage, summary="Her provinces' orders (as on her order list)")
def province_order_list(request, status: Literal[tuple(OrderStatus.values)] | None = None, page: str = PAGE):
    return one_page(province_orders(request.auth.owner, status), page_number(page), _order)


def _order(order) -> dict:
    return {
        "number": order.number,
        "status": order.status,
        "priority": order.priority,
        "health_center": order.health_center.name,
        "province_code": order.health_center.province.code,
        "product_code": order.product.code,
        "quantity": order.quantity,
        "needed_by": order.needed_by,
        "created_at": order.created_at,
        "units_allocated": order.allocated,
        "units_produced": order.produced,
        "confirmed_funds_rials": order.confirmed_funds,
        "stale": order.stale,
    }


class QuotaOut(Schema):
    id: int
    order_number: str
    workshop: str
    workshop_province_code: str
    product_code: str
    quantity: int
    due_date: dt.date
    status: str
    offered_at: dt.datetime
    units_produced: int
    units_collected: int
    units_accepted: int
    units_on_deliveries: int
    units_released: int


class QuotaPage(Page):
    results: list[QuotaOut]


@router.get("/quotas", response=QuotaPage, summary="Quotas of her orders and of her workshops")
def province_quota_list(request, status: Literal[tuple(QuotaStatus.values)] | None = None, page: str = PAGE):
    return one_page(province_quotas(request.auth.owner, status), page_number(page), _quota)


def _quota(quota) -> dict:
    return {
        "id": quota.pk,
        "order_number": quota.order.number,
        "workshop": quota.workshop.name,
        "workshop_province_code": quota.workshop.province.code,
        "product_code": quota.order.product.code,
        "quantity": quota.quantity,
        "due_date": quota.due_date,
        "status": quota.status,
        "offered_at": quota.offered_at,
        "units_produced": quota.produced_units,
        "units_collected": quota.collected_units,
        "units_accepted": quota.accepted_units,
        "units_on_deliveries": quota.delivered_units,
        "units_released": quota.released_units,
    }


class DeliveryOut(Schema):
    code: str
    status: str
    health_center: str
    province_code: str
    planned_date: dt.date
    units: int
    lines: int
    dispatched_at: dt.datetime | None
    delivered_at: dt.datetime | None
    confirmed_at: dt.datetime | None


class DeliveryPage(Page):
    results: list[DeliveryOut]


@router.get("/deliveries", response=DeliveryPage, summary="Her provinces' deliveries (as on her delivery list)")
def province_delivery_list(request, status: Literal[tuple(DeliveryStatus.values)] | None = None, page: str = PAGE):
    return one_page(province_deliveries(request.auth.owner, status), page_number(page), _delivery)


def _delivery(delivery) -> dict:
    return {
        "code": delivery.code,
        "status": delivery.status,
        "health_center": delivery.health_center.name,
        "province_code": delivery.health_center.province.code,
        "planned_date": delivery.planned_date,
        "units": delivery.total_units,
        "lines": delivery.line_count,
        "dispatched_at": delivery.dispatched_at,
        "delivered_at": delivery.delivered_at,
        "confirmed_at": delivery.confirmed_at,
    }
