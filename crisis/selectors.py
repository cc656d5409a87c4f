"""The severity in force on a day: per province, per city, as an SQL expression for lists, and the history.

The rule, written once here: a province's level on a day is its latest declaration (without a city) whose
``effective_from`` has come, white when there is none; a city's level is the higher of its province's and its
own latest declaration, so a province declared red is red in every city, and one city can be raised above its
province (an outbreak in one town) but never lowered below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from core.models import City, Province
from core.scoping import scope_by_province

from .models import SeverityDeclaration, SeverityLevel


def _in_force(on: dt.date | None) -> QuerySet[SeverityDeclaration]:
    return SeverityDeclaration.objects.filter(effective_from__lte=on or timezone.localdate())


def levels_by_province(on: dt.date | None = None) -> dict[int, int]:
    """Province id -> level in force (provinces never declared are absent: white)."""
    found: dict[int, int] = {}
    for province_id, level in (
        _in_force(on).filter(city__isnull=True).order_by("province_id", "-effective_from", "-id")
    ).values_list("province_id", "level"):
        found.setdefault(province_id, level)
    return found


def own_levels_by_city(on: dt.date | None = None) -> dict[int, int]:
    """City id -> the city's own latest level in force (before taking the higher of it and its province's)."""
    found: dict[int, int] = {}
    for city_id, level in (
        _in_force(on).filter(city__isnull=False).order_by("city_id", "-effective_from", "-id")
    ).values_list("city_id", "level"):
        found.setdefault(city_id, level)
    return found


def severity_lookup(on: dt.date | None = None) -> Callable[[int, int | None], int]:
    """``level(province_id, city_id)`` on the day, from two queries: for many places at once (allocation)."""
    provinces, cities = levels_by_province(on), own_levels_by_city(on)

    def level(province_id: int, city_id: int | None) -> int:
        return max(provinces.get(province_id, SeverityLevel.WHITE), cities.get(city_id, SeverityLevel.WHITE))

    return level


def level_of_city(city: City, on: dt.date | None = None) -> int:
    return severity_lookup(on)(city.province_id, city.pk)


def severity_expression(city_path: str, province_path: str, on: dt.date | None = None):
    """The level in force at a row's city, as an SQL expression (``health_center__city`` on an order)."""
    on = on or timezone.localdate()

    def latest(**place) -> Subquery:
        return Subquery(
            SeverityDeclaration.objects.filter(effective_from__lte=on, **place)
            .order_by("-effective_from", "-id")
            .values("level")[:1],
            output_field=IntegerField(),
        )

    white = Value(int(SeverityLevel.WHITE))
    return Greatest(
        Coalesce(latest(province=OuterRef(province_path), city__isnull=True), white),
        Coalesce(latest(city=OuterRef(city_path)), white),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class ProvinceSeverity:
    province: Province
    level: int
    declaration: SeverityDeclaration | None  # the one in force; None: never declared (white)
    raised_cities: list[tuple[City, str]]  # cities whose own level is above the province's, with its name

    @property
    def level_label(self) -> str:
        return SeverityLevel(self.level).label

    @property
    def level_name(self) -> str:
        return SeverityLevel(self.level).name.lower()


def severity_board(on: dt.date | None = None) -> list[ProvinceSeverity]:
    """Every province with its level in force, the declaration behind it and its raised cities (three queries)."""
    in_force: dict[int, SeverityDeclaration] = {}
    for declaration in _in_force(on).filter(city__isnull=True).order_by("province_id", "-effective_from", "-id"):
        in_force.setdefault(declaration.province_id, declaration)
    city_levels = own_levels_by_city(on)
    cities = City.objects.filter(pk__in=city_levels).order_by("name_fa")
    rows = []
    for province in Province.objects.order_by("name_fa"):
        declaration = in_force.get(province.pk)
        level = declaration.level if declaration else SeverityLevel.WHITE
        raised = [(city, city_levels[city.pk]) for city in cities if city.province_id == province.pk]
        rows.append(
            ProvinceSeverity(
                province=province,
                level=level,
                declaration=declaration,
                raised_cities=[(city, SeverityLevel(own).label) for city, own in raised if own > level],
            )
        )
    return rows


def declaration_history(province: Province | None = None, limit: int = 200) -> QuerySet[SeverityDeclaration]:
    """The declarations, newest first (of one province when given), with who made them."""
    rows = SeverityDeclaration.objects.select_related("province", "city", "declared_by")
    if province is not None:
        rows = rows.filter(province=province)
    return rows.order_by("-declared_at", "-id")[:limit]


def latest_declaration(province: Province, city: City | None) -> SeverityDeclaration | None:
    rows = SeverityDeclaration.objects.filter(province=province, city=city)
    return rows.order_by("-effective_from", "-id").first()


def provinces_in_crisis(user, on: dt.date | None = None) -> list[tuple[Province, int]]:
    """The user's provinces (all for a national coordinator) at yellow or above, most severe first."""
    levels = levels_by_province(on)
    provinces = scope_by_province(
        Province.objects.filter(pk__in=[pk for pk, level in levels.items() if level]), user, field="pk"
    )
    return sorted(
        ((province, levels[province.pk]) for province in provinces), key=lambda row: (-row[1], row[0].name_fa)
    )
