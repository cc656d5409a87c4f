"""Who hears about what: the people an event in a province or a health center concerns."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import HealthCenter, Province, Role, User


def coordinators_of(province: Province | int) -> QuerySet[User]:
    """Active coordinators of the province. National coordinators are left out: they would get every message."""
    province_id = getattr(province, "pk", province)
    return User.objects.filter(role=Role.COORDINATOR, is_active=True, provinces=province_id).order_by("pk")


def staff_of(health_center: HealthCenter | int) -> QuerySet[User]:
    """Active health-center staff accounts of the center."""
    center_id = getattr(health_center, "pk", health_center)
    return User.objects.filter(role=Role.HEALTH_CENTER_STAFF, is_active=True, health_center_id=center_id).order_by("pk")
