"""Django groups that mirror the roles, with the admin permissions each needs.

The groups are (re)built after every ``migrate`` so a new permission reaches
existing installations without a manual step.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role
from .permissions import ROLES

# Both read from the one declaration of roles (core.permissions.ROLES).
ROLE_GROUP_NAMES = {role: access.group for role, access in ROLES.items()}
ROLE_PERMISSIONS = {role: list(access.admin_permissions) for role, access in ROLES.items()}


def sync_role_groups(**kwargs) -> None:
    for role, name in ROLE_GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:  # the app may not be migrated yet in this post_migrate round
                wanted.append(permission)
        group.permissions.set(wanted)


@transaction.atomic
def user_set_role_group(user) -> None:
    """Put ``user`` in exactly the group of their role."""
    role_groups = Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())
    user.groups.remove(*role_groups)
    group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role(user.role)])
    user.groups.add(group)
