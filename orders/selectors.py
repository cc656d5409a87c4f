from django.db.models import QuerySet

from core.scoping import scope_by_province

from .models import Order


def orders_in_scope(user) -> QuerySet[Order]:
    return scope_by_province(
        Order.objects.select_related("health_center", "product"), user, field="health_center__province"
    )


def orders_of_health_center(health_center_id: int) -> QuerySet[Order]:
    return Order.objects.select_related("product").filter(health_center_id=health_center_id)
