"""What of the audit log a coordinator may see in the admin: entries about objects of her provinces, masked.

The log names its objects only by content type and id, so the province of an
entry is found through the object: every model with a path of foreign keys to
``core.Province`` (a workshop's ``province``, a pledge's
``order__health_center__province``...) is scoped along it; users by their own
provinces, workshop or health center. Entries about objects with no province
(products, donors without an order) or about deleted objects are left to the
national coordinators and superusers, who see everything.
"""

from __future__ import annotations

import re
from collections import deque
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from .scoping import sees_all_provinces

# How deep the search for a province goes (pledge -> order -> health center -> province is three steps).
_MAX_DEPTH = 3
# Users have no province column: a coordinator's own provinces, an owner's workshop, a center's staff.
_USER_PATHS = ("provinces", "workshop__province", "health_center__province")

_SHEBA = re.compile(r"IR(\d{20})(\d{4})", re.IGNORECASE)
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}", re.IGNORECASE)


def _province_path(model: type[models.Model]) -> str | None:
    """The shortest ``a__b__province`` lookup from ``model`` to a province, following foreign keys only."""
    province = apps.get_model("core", "Province")
    user_model = apps.get_model("core", "User")
    if model is province:
        return "pk"
    for field in model._meta.many_to_many:  # e.g. a payout batch's provinces
        if field.related_model is province and model is not user_model:
            return field.name
    queue = deque([(model, "", 0)])
    while queue:
        current, prefix, depth = queue.popleft()
        for field in current._meta.concrete_fields:
            # Not through users: a row's author (``created_by``) says nothing about where the row belongs.
            if not field.is_relation or field.related_model in (None, user_model):
                continue
            path = f"{prefix}{field.name}"
            if field.related_model is province:
                return path
            if depth + 1 < _MAX_DEPTH:
                queue.append((field.related_model, f"{path}__", depth + 1))
    return None


@cache
def province_paths(model: type[models.Model]) -> tuple[str, ...]:
    if model is apps.get_model("core", "User"):
        return _USER_PATHS
    path = _province_path(model)
    return (path,) if path else ()


def audit_entries_in_scope(queryset: QuerySet, user) -> QuerySet:
    """Entries whose object lies in one of the user's provinces; all for national coordinators and superusers."""
    if sees_all_provinces(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    provinces = user.provinces.values("pk")
    visible = Q(pk__in=[])
    content_types = ContentType.objects.filter(pk__in=queryset.values("content_type").distinct())
    for content_type in content_types:
        model = content_type.model_class()
        paths = province_paths(model) if model is not None else ()
        if not paths:
            continue
        in_provinces = Q()
        for path in paths:
            in_provinces |= Q(**{f"{path}__in": provinces})
        ids = model._default_manager.filter(in_provinces).annotate(pk_text=Cast("pk", CharField()))
        visible |= Q(content_type=content_type, object_id__in=ids.values("pk_text"))
    return queryset.filter(visible)


def _mask_text(text: str) -> str:
    text = _SHEBA.sub(lambda match: f"IR******{match.group(2)}", text)
    text = _IPV4.sub("***.***.***.***", text)
    # A clock time (12:30:45) has colons too: only "::" or seven groups make an IPv6 address.
    return _IPV6.sub(lambda m: "****:****" if "::" in m.group(0) or m.group(0).count(":") == 7 else m.group(0), text)


def mask_private(value: Any) -> Any:
    """``value`` (text or a JSON structure) with every Sheba shown as ``IR******1234`` and IP addresses hidden."""
    if isinstance(value, str):
        return _mask_text(value)
    if isinstance(value, dict):
        return {key: mask_private(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_private(item) for item in value]
    return value
