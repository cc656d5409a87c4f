"""Write operations on workshops. The workshops issue grows this into the owner's full journey."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import diff, log_action, snapshot
from core.models import City, Product, Province, Role, User

from .models import Workshop, WorkshopCapacity, WorkshopStatus


@transaction.atomic
def workshop_register(
    *,
    owner: User,
    name: str,
    province: Province,
    city: City,
    address: str,
    is_woman_head_of_household: bool = False,
    sewing_machines: int = 1,
    workers: int = 1,
) -> Workshop:
    """Register a workshop for a workshop owner; it starts pending verification."""
    if owner.role != Role.WORKSHOP_OWNER:
        raise ValidationError(_("Only a workshop owner can register a workshop."))
    if city.province_id != province.pk:
        raise ValidationError({"city": _("This city is not in the chosen province.")})
    workshop = Workshop(
        owner=owner,
        name=name,
        province=province,
        city=city,
        address=address,
        is_woman_head_of_household=is_woman_head_of_household,
        sewing_machines=sewing_machines,
        workers=workers,
    )
    workshop.full_clean()
    workshop.save()
    log_action(actor=owner, obj=workshop, action="workshop.register", changes={"status": [None, workshop.status]})
    return workshop


@transaction.atomic
def workshop_set_capacity(*, workshop: Workshop, product: Product, units_per_day: int, actor: User) -> WorkshopCapacity:
    """Declare (or change) how many units of ``product`` the workshop makes per working day."""
    if units_per_day <= 0:
        raise ValidationError({"units_per_day": _("Capacity must be at least one unit per day.")})
    capacity = WorkshopCapacity.objects.select_for_update().filter(workshop=workshop, product=product).first()
    before = snapshot(capacity, ["units_per_day"]) if capacity else {}
    if capacity is None:
        capacity = WorkshopCapacity(workshop=workshop, product=product)
    capacity.units_per_day = units_per_day
    capacity.full_clean()
    capacity.save()
    log_action(
        actor=actor, obj=capacity, action="workshop.capacity", changes=diff(before, {"units_per_day": units_per_day})
    )
    return capacity


@transaction.atomic
def workshop_set_status(*, workshop: Workshop, status: WorkshopStatus | str, reason: str, actor: User) -> Workshop:
    """Verify, suspend or reactivate a workshop; suspending requires a reason."""
    status = WorkshopStatus(status)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if status == WorkshopStatus.SUSPENDED and not reason.strip():
        raise ValidationError({"status_reason": _("Give a reason for suspending the workshop.")})
    before = snapshot(workshop, ["status", "status_reason"])
    workshop.status = status
    workshop.status_reason = reason.strip()
    workshop.save(update_fields=["status", "status_reason"])
    log_action(
        actor=actor,
        obj=workshop,
        action="workshop.status",
        changes=diff(before, snapshot(workshop, ["status", "status_reason"])),
    )
    return workshop
