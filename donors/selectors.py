from django.db.models import QuerySet

from core.scoping import scope_by_province

from .models import Pledge


def pledges_of_user(user) -> QuerySet[Pledge]:
    return Pledge.objects.select_related("order__product", "order__health_center", "campaign", "receipt").filter(
        donor__user=user
    )


def pledges_in_scope(user) -> QuerySet[Pledge]:
    return scope_by_province(
        Pledge.objects.select_related("donor__user", "order"), user, field="order__health_center__province"
    )
