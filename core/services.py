"""Write operations on core objects (users and reference data)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .audit import log_action
from .models import HealthCenter, Province, Role, User
from .roles import user_set_role_group


@transaction.atomic
def user_create(
    *,
    mobile: str,
    full_name: str,
    role: Role | str,
    password: str | None,
    provinces: Iterable[Province] = (),
    is_national: bool = False,
    health_center: HealthCenter | None = None,
    email: str = "",
    is_staff: bool | None = None,
    is_demo: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user with a role, its scope and the matching group.

    Coordinators get admin access (``is_staff``) by default: the admin is where
    they maintain cities and health centers, scoped to their provinces.
    """
    role = Role(role)
    user = User.objects.create_user(
        mobile,
        password,
        full_name=full_name,
        role=role,
        is_national=is_national,
        health_center=health_center,
        email=email,
        is_staff=(role == Role.COORDINATOR) if is_staff is None else is_staff,
        is_demo=is_demo,
    )
    if provinces:
        user.provinces.set(provinces)
    user_set_role_group(user)
    log_action(actor=actor, obj=user, action="user.create", changes={"role": [None, role.value]})
    return user
