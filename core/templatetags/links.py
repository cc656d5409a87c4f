"""``{% order_code order %}``: an order's number, linked to the order wherever the viewer may open it.

Coordinators read order numbers on pickups, workshops, payouts and campaigns; a number they can click saves
a search. An order is linked only for a viewer who can open it (coordinators of the health center's
province, national coordinators, superusers, the center's own staff), so no link ends in "not found": a
Tehran workshop may sew for an Isfahan hospital. The centers in scope are read once per request, not per row.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..models import HealthCenter, Role
from ..permissions import is_health_center_scoped
from ..scoping import sees_all_provinces
from .persian import code

register = template.Library()


def _centers_in_scope(request) -> set[int] | None:
    """Health center ids whose orders the user may open; None: all of them."""
    user = request.user
    if sees_all_provinces(user):
        return None
    if not hasattr(request, "_hamdeli_order_centers"):
        if user.is_authenticated and user.role == Role.COORDINATOR:
            centers = set(
                HealthCenter.objects.filter(province__in=user.provinces.values("pk")).values_list("pk", flat=True)
            )
        elif is_health_center_scoped(user) and user.health_center_id:
            centers = {user.health_center_id}
        else:
            centers = set()
        request._hamdeli_order_centers = centers
    return request._hamdeli_order_centers


@register.simple_tag(takes_context=True)
def order_code(context, order) -> str:
    if order is None:
        return ""
    request = context.get("request")
    centers = _centers_in_scope(request) if request is not None else set()
    if centers is None or order.health_center_id in centers:
        return format_html('<a href="{}">{}</a>', reverse("orders:detail", args=[order.pk]), code(order.number))
    return code(order.number)
