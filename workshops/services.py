"""Write operations on workshops: sign-up, profile, capacity, calendar and status.

Every function is atomic and audited; the ones that change what a workshop
can produce lock the workshop row so a capacity change cannot interleave with
an allocation reading it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import diff, log_action, snapshot
from core.models import City, Product, Role, User
from core.scoping import scope_by_province
from core.services import user_create

from .calendar import mask_from_weekdays
from .change_requests import change_request_submit, needs_approval
from .models import Workshop, WorkshopCapacity, WorkshopNote, WorkshopStatus, WorkshopUnavailability
from .notifications import notify_workshop_status

PROFILE_FIELDS = (
    "name",
    "national_id",
    "province",
    "city",
    "address",
    "is_woman_head_of_household",
    "sheba",
    "sewing_machines",
    "workers",
    "public_name_consent",
)


@transaction.atomic
def owner_signup(*, mobile: str, full_name: str, password: str) -> User:
    """Create the account of a new workshop owner (the workshop itself comes next)."""
    return user_create(mobile=mobile, full_name=full_name, role=Role.WORKSHOP_OWNER, password=password)


@transaction.atomic
def workshop_register(
    *,
    owner: User,
    name: str,
    national_id: str,
    city: City,
    address: str,
    is_woman_head_of_household: bool = False,
    sheba: str = "",
    sewing_machines: int = 1,
    workers: int = 1,
    public_name_consent: bool = False,
    actor: User | None = None,
    note: str = "",
) -> Workshop:
    """Register the owner's workshop; it waits for a coordinator of its province to verify it.

    ``actor`` is the owner herself unless a coordinator registers it for her (a spreadsheet import).
    """
    if owner.role != Role.WORKSHOP_OWNER:
        raise ValidationError(_("Only a workshop owner can register a workshop."))
    if Workshop.objects.filter(owner=owner).exists():
        raise ValidationError(_("This account already has a workshop."))
    workshop = Workshop(
        owner=owner,
        name=name,
        national_id=national_id,
        province=city.province,
        city=city,
        address=address,
        is_woman_head_of_household=is_woman_head_of_household,
        sheba=sheba,
        sewing_machines=sewing_machines,
        workers=workers,
        public_name_consent=public_name_consent,
    )
    workshop.full_clean()
    workshop.save()
    log_action(
        actor=actor or owner,
        obj=workshop,
        action="workshop.register",
        changes={"status": [None, workshop.status]},
        note=note,
    )
    return workshop


@transaction.atomic
def workshop_update_profile(*, workshop: Workshop, actor: User, **values) -> Workshop:
    """Change profile fields (not status or capacity); the province follows the city.

    Once the workshop is verified, a city in another province and a new Sheba
    are not applied: they become a change request for her coordinator
    (``workshops.change_requests``), and the rest of the form is saved.
    """
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if needs_approval(workshop) and ("city" in values or "sheba" in values):
        city = values.get("city")
        moves = city is not None and city.province_id != workshop.province_id
        change_request_submit(
            workshop=workshop,
            actor=actor,
            new_city=values.pop("city") if moves else None,
            new_sheba=values.pop("sheba", workshop.sheba) or "",
        )
    before = snapshot(workshop, PROFILE_FIELDS)
    for field, value in values.items():
        setattr(workshop, field, value)
    if "city" in values:
        workshop.province = workshop.city.province
    workshop.full_clean()
    workshop.save()
    changes = diff(before, snapshot(workshop, PROFILE_FIELDS))
    if changes:
        log_action(actor=actor, obj=workshop, action="workshop.profile", changes=changes)
    return workshop


@transaction.atomic
def capacity_set(*, workshop: Workshop, product: Product, units_per_day: int | None, actor: User) -> None:
    """Declare how many units of ``product`` the workshop makes per working day; 0 or None removes it.

    Quotas already accepted are never changed here; the owner is shown which
    of them are now at risk (see ``production.selectors.quotas.quotas_at_risk``).
    """
    Workshop.objects.select_for_update().filter(pk=workshop.pk).get()
    if units_per_day is not None and units_per_day < 0:
        raise ValidationError({"units_per_day": _("Capacity cannot be negative.")})
    if units_per_day:  # the same bound the form shows, for every caller
        WorkshopCapacity(workshop=workshop, product=product, units_per_day=units_per_day).clean_fields(
            exclude=["workshop", "product"]
        )
    capacity = WorkshopCapacity.objects.filter(workshop=workshop, product=product).first()
    before = capacity.units_per_day if capacity else None
    after = units_per_day or None
    if before == after:
        return
    if after is None:
        capacity.delete()
    elif capacity is None:
        WorkshopCapacity.objects.create(workshop=workshop, product=product, units_per_day=after)
    else:
        capacity.units_per_day = after
        capacity.save(update_fields=["units_per_day"])
    log_action(
        actor=actor,
        obj=workshop,
        action="workshop.capacity",
        changes={f"units_per_day:{product.code}": [before, after]},
    )


@transaction.atomic
def capacity_update(
    *, workshop: Workshop, rates: Iterable[tuple[Product, int | None]], weekdays: Iterable[int], actor: User
) -> None:
    """Save the owner's whole capacity page at once: daily rates per product and working weekdays.

    All or nothing: a refused weekday choice leaves the rates unchanged too.
    """
    for product, units_per_day in rates:
        capacity_set(workshop=workshop, product=product, units_per_day=units_per_day, actor=actor)
    weekdays_set(workshop=workshop, weekdays=weekdays, actor=actor)


@transaction.atomic
def weekdays_set(*, workshop: Workshop, weekdays: Iterable[int], actor: User) -> Workshop:
    """Set the weekdays the workshop works (Python weekday numbers)."""
    mask = mask_from_weekdays(weekdays)
    if mask == 0:
        raise ValidationError({"weekdays": _("Choose at least one working day.")})
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    before = workshop.working_weekdays
    if before != mask:
        workshop.working_weekdays = mask
        workshop.save(update_fields=["working_weekdays"])
        log_action(actor=actor, obj=workshop, action="workshop.weekdays", changes={"working_weekdays": [before, mask]})
    return workshop


@transaction.atomic
def unavailability_add(
    *, workshop: Workshop, start_date: dt.date, end_date: dt.date, reason: str, actor: User
) -> WorkshopUnavailability:
    """Mark days the workshop will not work."""
    Workshop.objects.select_for_update().filter(pk=workshop.pk).get()
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date must not be before the start date.")})
    if end_date < timezone.localdate():
        raise ValidationError({"end_date": _("This period is already over.")})
    period = WorkshopUnavailability(workshop=workshop, start_date=start_date, end_date=end_date, reason=reason)
    period.full_clean()
    period.save()
    log_action(
        actor=actor,
        obj=workshop,
        action="workshop.unavailable",
        changes={"unavailable": [None, [start_date.isoformat(), end_date.isoformat()]]},
        note=reason,
    )
    return period


@transaction.atomic
def unavailability_remove(*, period: WorkshopUnavailability, actor: User) -> None:
    Workshop.objects.select_for_update().filter(pk=period.workshop_id).get()
    log_action(
        actor=actor,
        obj=period.workshop,
        action="workshop.available",
        changes={"unavailable": [[period.start_date.isoformat(), period.end_date.isoformat()], None]},
    )
    period.delete()


# Which status changes a coordinator may make, and whether a reason is required.
STATUS_TRANSITIONS = {
    WorkshopStatus.PENDING: {WorkshopStatus.VERIFIED: False, WorkshopStatus.SUSPENDED: True},
    WorkshopStatus.VERIFIED: {WorkshopStatus.SUSPENDED: True},
    WorkshopStatus.SUSPENDED: {WorkshopStatus.VERIFIED: True},  # reactivation says why
}


@transaction.atomic
def workshop_set_status(*, workshop: Workshop, status: WorkshopStatus | str, reason: str, actor: User) -> Workshop:
    """Verify, suspend or reactivate a workshop. Only a coordinator of its province may."""
    status = WorkshopStatus(status)
    if actor is not None and not scope_by_province(Workshop.objects.filter(pk=workshop.pk), actor).exists():
        raise PermissionDenied
    # The row lock comes before anything else is read or written: an allocation commit locks the rows of the
    # workshops it is about to offer quotas to, so a suspension and a commit run one after the other.
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    allowed = STATUS_TRANSITIONS[WorkshopStatus(workshop.status)]
    if status not in allowed:
        raise ValidationError(
            _("A workshop cannot go from “%(old)s” to “%(new)s”.")
            % {"old": workshop.get_status_display(), "new": status.label}
        )
    reason = reason.strip()
    if allowed[status] and not reason:
        raise ValidationError({"reason": _("Please give a reason; the owner will see it.")})
    before = snapshot(workshop, ["status", "status_reason"])
    workshop.status = status
    workshop.status_reason = reason
    workshop.save(update_fields=["status", "status_reason"])
    entry = log_action(
        actor=actor,
        obj=workshop,
        action="workshop.status",
        changes=diff(before, snapshot(workshop, ["status", "status_reason"])),
    )
    notify_workshop_status(workshop, occurrence=entry.pk)
    return workshop


@transaction.atomic
def note_add(*, workshop: Workshop, author: User, text: str) -> WorkshopNote:
    note = WorkshopNote(workshop=workshop, author=author, text=text)
    note.full_clean()
    note.save()
    return note
