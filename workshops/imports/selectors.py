"""Reads of the import pages and of the row checks (what exists already, the places a row may name)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from core.models import City, HealthCenter, Product, Province, User
from core.scoping import sees_all_provinces
from core.selectors import active_products, provinces_in_scope

from ..models import Workshop
from .models import DirectoryImport


def imports_visible_to(user) -> QuerySet[DirectoryImport]:
    """A coordinator's own uploads; a national coordinator (or superuser) sees everyone's."""
    uploads = DirectoryImport.objects.select_related("uploaded_by").defer("content")
    if sees_all_provinces(user):
        return uploads
    return uploads.filter(uploaded_by=user)


def import_products() -> list[Product]:
    """The products whose daily capacity the workshop template asks, in the catalogue's order."""
    return list(active_products())


def import_places() -> tuple[list[Province], list[City]]:
    return list(Province.objects.all()), list(City.objects.all())


def province_pks_in_scope(user) -> set[int]:
    return set(provinces_in_scope(user).values_list("pk", flat=True))


def national_ids_registered(national_ids: Iterable[str]) -> set[str]:
    return set(Workshop.objects.filter(national_id__in=list(national_ids)).values_list("national_id", flat=True))


def accounts_by_mobile(mobiles: Iterable[str]) -> dict[str, tuple[str, bool]]:
    """``mobile -> (role, has a workshop)`` for the numbers that already have an account."""
    rows = User.objects.filter(mobile__in=list(mobiles)).values_list("mobile", "role", "workshop")
    return {mobile: (role, workshop is not None) for mobile, role, workshop in rows}


def health_centers_named(city_pks: Iterable[int]) -> set[tuple[int, str]]:
    """``(city pk, name)`` of the health centers already in these cities."""
    return set(HealthCenter.objects.filter(city_id__in=list(city_pks)).values_list("city_id", "name"))
