"""Who may see what.

Every view and admin page that lists or opens a province-bound object goes
through ``scope_by_province``; an object outside the user's scope is simply not
in the queryset, so opening it by URL gives 404 rather than revealing that it
exists. Which roles are bound by provinces, and who may open which page, is
declared in ``core.permissions``.
"""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet

from .permissions import CAPABILITIES, ROLES, is_province_scoped, sees_all_provinces, user_can

__all__ = ["PROVINCE_SCOPED_ROLES", "RoleRequiredMixin", "scope_by_province", "sees_all_provinces"]

# Roles whose ``provinces`` bound what they see: coordinators, and the collectors they appoint.
PROVINCE_SCOPED_ROLES = tuple(role for role, access in ROLES.items() if access.province_scoped)


def scope_by_province(queryset: QuerySet, user, field: str = "province") -> QuerySet:
    """Rows of ``queryset`` whose ``field`` is a province the coordinator (or collector) covers.

    A collector is never national: only coordinators may carry ``is_national``
    (a database check), so ``sees_all_provinces`` stays false for her.
    """
    if sees_all_provinces(user):
        return queryset
    if is_province_scoped(user):
        return queryset.filter(**{f"{field}__in": user.provinces.values("pk")})
    return queryset.none()


class RoleRequiredMixin(AccessMixin):
    """Anonymous users go to the login page; a logged-in user without the view's ``capability`` gets 403."""

    capability: str = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A misspelt name would lock everyone out at the first request: fail when the view module is imported.
        if cls.capability and cls.capability not in CAPABILITIES:
            raise ImproperlyConfigured(f"{cls.__qualname__}.capability: no capability {cls.capability!r}")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not (self.capability and user_can(user, self.capability)):  # a view without one lets nobody in
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
