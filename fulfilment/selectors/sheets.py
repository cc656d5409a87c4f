"""Reads behind the printing desk: the deliveries whose sheet a user may print, and the batches she may follow."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.scoping import scope_by_province, sees_all_provinces
from orders.selectors import is_health_center_staff

from ..models import Delivery, SheetBatch
from .receiving import center_deliveries


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    """Coordinators: deliveries in their provinces; health-center staff: their own center's."""
    if is_health_center_staff(user):
        return center_deliveries(user.health_center_id)
    return scope_by_province(Delivery.objects.all(), user, "health_center__province")


def sheet_batches_for(user) -> QuerySet[SheetBatch]:
    """Her own batches, and colleagues' batches of one province she covers; national coordinators see all.

    A batch of "all my provinces" holds the sheets of its requester's provinces,
    which a colleague may not cover, so it stays its requester's.
    """
    if sees_all_provinces(user):
        return SheetBatch.objects.all()
    covered = Q(province_code__in=user.provinces.values("code")) & ~Q(province_code="")
    return SheetBatch.objects.filter(Q(created_by=user) | covered)
