"""Who may see what.

Every view and admin page that lists or opens a province-bound object goes
through ``scope_by_province``; an object outside the user's scope is simply not
in the queryset, so opening it by URL gives 404 rather than revealing that it
exists.
"""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .models import Role


def sees_all_provinces(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or (user.role == Role.COORDINATOR and user.is_national)))


# Roles whose ``provinces`` bound what they see: coordinators, and the collectors they appoint.
PROVINCE_SCOPED_ROLES = (Role.COORDINATOR, Role.COLLECTOR)


def scope_by_province(queryset: QuerySet, user, field: str = "province") -> QuerySet:
    """Rows of ``queryset`` whose ``field`` is a province the coordinator (or collector) covers.

    A collector is never national: only coordinators may carry ``is_national``
    (a database check), so ``sees_all_provinces`` stays false for her.
    """
    if sees_all_provinces(user):
        return queryset
    if user.is_authenticated and user.role in PROVINCE_SCOPED_ROLES:
        return queryset.filter(**{f"{field}__in": user.provinces.values("pk")})
    return queryset.none()


class RoleRequiredMixin(AccessMixin):
    """Anonymous users go to the login page; a logged-in user with another role gets 403."""

    allowed_roles: tuple[str, ...] = ()
    # False on pages about one's own workshop or giving: a superuser has none, so an empty page would mislead.
    superuser_allowed = True

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not (user.role in self.allowed_roles or (user.is_superuser and self.superuser_allowed)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
