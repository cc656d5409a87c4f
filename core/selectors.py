"""Reads of core's rows that pages in several rooms show: products, health centers and provinces in a user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import HealthCenter, Product, Province
from .permissions import is_health_center_scoped
from .scoping import scope_by_province


def active_products() -> QuerySet[Product]:
    """The products on sale: the public product list and the home page's."""
    return Product.objects.filter(is_active=True)


def products_by_pk() -> dict[int, Product]:
    return {product.pk: product for product in Product.objects.all()}


def health_centers_in_scope(user) -> QuerySet[HealthCenter]:
    """The health centers of the coordinator's provinces (all for national coordinators), with place names."""
    return scope_by_province(HealthCenter.objects.select_related("province", "city"), user)


def health_centers_visible_to(user) -> QuerySet[HealthCenter]:
    """Coordinators: the centers of their provinces; health-center staff: their own center only."""
    if is_health_center_scoped(user):
        return HealthCenter.objects.select_related("province", "city").filter(pk=user.health_center_id)
    return health_centers_in_scope(user)


def provinces_in_scope(user) -> QuerySet[Province]:
    """The provinces the user covers (all for national coordinators), in the model's order."""
    return scope_by_province(Province.objects.all(), user, field="pk")


def provinces_by_pk() -> dict[int, Province]:
    return {province.pk: province for province in Province.objects.all()}


def province_names() -> dict[str, str]:
    """Every province's name (in the reader's language) by its code."""
    return {province.code: province.name for province in Province.objects.all()}


def province_codes_of(user) -> list[str]:
    """The codes of the provinces a coordinator (or collector) was given, sorted."""
    return sorted(user.provinces.values_list("code", flat=True))
