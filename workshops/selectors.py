from django.db.models import QuerySet

from core.scoping import scope_by_province

from .models import Workshop


def workshop_of_owner(user) -> Workshop | None:
    """The workshop a workshop owner runs, with capacities, or None before she registers one."""
    return (
        Workshop.objects.select_related("province", "city")
        .prefetch_related("capacities__product")
        .filter(owner=user)
        .first()
    )


def workshops_in_scope(user) -> QuerySet[Workshop]:
    return scope_by_province(Workshop.objects.select_related("province", "city"), user)
