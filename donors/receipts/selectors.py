"""Which receipts a person may download, and the few fields the public check page shows."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.permissions import user_can
from core.scoping import scope_by_province, sees_all_provinces

from .models import Receipt


def receipts_visible_to(user) -> QuerySet[Receipt]:
    """The donor's own receipts; a coordinator's: receipts of orders in her provinces (all for national ones)."""
    own = Q(pledge__donor__user=user)
    if user.is_superuser or sees_all_provinces(user):
        return Receipt.objects.all()
    if user_can(user, "manage_donations"):
        scoped = scope_by_province(Receipt.objects.all(), user, field="pledge__order__health_center__province")
        return Receipt.objects.filter(Q(pk__in=scoped.values("pk")) | own)
    return Receipt.objects.filter(own)


def receipts_for_public_check() -> QuerySet[Receipt]:
    """Number, date and amount only: the public check page never reads the donor or the purpose."""
    return Receipt.objects.only("number", "issued_on", "amount_rials")
