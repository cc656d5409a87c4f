"""Django groups that mirror the roles, with the admin permissions each needs.

The groups are (re)built after every ``migrate`` so a new permission reaches
existing installations without a manual step.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role

ROLE_GROUP_NAMES = {
    Role.COORDINATOR: "coordinators",
    Role.WORKSHOP_OWNER: "workshop owners",
    Role.DONOR: "donors",
    Role.HEALTH_CENTER_STAFF: "health-center staff",
    Role.COLLECTOR: "collectors",
}

# app_label.codename; coordinators use the admin for reference data (cities, health centers).
ROLE_PERMISSIONS = {
    Role.COORDINATOR: [
        "core.view_province",
        "core.view_city",
        "core.add_city",
        "core.change_city",
        "core.view_product",
        "core.view_healthcenter",
        "core.add_healthcenter",
        "core.change_healthcenter",
        "core.view_auditlog",
        "workshops.view_workshop",
        "workshops.view_workshopcapacity",
        "workshops.view_workshopunavailability",
        "workshops.view_workshopnote",
        "orders.view_order",
        "production.view_quota",
        "production.view_outputreport",
        "production.view_allocationrun",
        "donors.view_donor",
        "donors.view_pledge",
        "donors.view_campaign",
        "donors.view_ledgerentry",
    ],
    Role.WORKSHOP_OWNER: [],
    Role.DONOR: [],
    Role.HEALTH_CENTER_STAFF: [],
    # Collectors only use the pickup pages, which check the role themselves: no admin permissions.
    Role.COLLECTOR: [],
}


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
