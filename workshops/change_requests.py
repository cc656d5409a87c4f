"""Changes a verified workshop may not make alone: a move to another province, a new Sheba.

The owner's profile form goes through ``workshop_update_profile``, which
applies every other field at once and hands these two to
``change_request_submit``; a coordinator of the workshop's current province
then approves (the change applies, audited) or rejects it with a reason.
A city in the same province needs no approval.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import change_status, diff, log_action, snapshot
from core.models import City, User
from core.scoping import scope_by_province

from .models import ChangeRequestStatus, Workshop, WorkshopChangeRequest, WorkshopStatus

APPROVED_FIELDS = ("province", "city", "sheba")


def needs_approval(workshop: Workshop) -> bool:
    """Once verified (also while suspended after it), province and Sheba wait for the coordinator."""
    return workshop.status != WorkshopStatus.PENDING


def pending_change_of(workshop: Workshop) -> WorkshopChangeRequest | None:
    return (
        WorkshopChangeRequest.objects.select_related("new_city__province")
        .filter(workshop=workshop, status=ChangeRequestStatus.PENDING)
        .first()
    )


def last_rejected_change_of(workshop: Workshop) -> WorkshopChangeRequest | None:
    """The latest decision, if it was a rejection: the owner sees why until she asks again."""
    latest = WorkshopChangeRequest.objects.filter(workshop=workshop).order_by("-created_at", "-id").first()
    return latest if latest is not None and latest.status == ChangeRequestStatus.REJECTED else None


def pending_changes_in_scope(user) -> QuerySet[WorkshopChangeRequest]:
    """Pending requests of workshops in the coordinator's provinces (where the workshop is now, not where it goes)."""
    return scope_by_province(
        WorkshopChangeRequest.objects.filter(status=ChangeRequestStatus.PENDING).select_related(
            "workshop__province", "workshop__city", "workshop__owner", "new_city__province"
        ),
        user,
        field="workshop__province",
    ).order_by("created_at", "id")


@transaction.atomic
def change_request_submit(
    *, workshop: Workshop, actor: User, new_city: City | None = None, new_sheba: str = ""
) -> WorkshopChangeRequest | None:
    """Record (or update) the workshop's pending request; nothing when neither value differs from the current one.

    ``workshop`` must be locked by the caller. A value equal to the current one
    leaves any pending value for that field as it is, so saving the profile
    again (which re-sends the current city and Sheba) keeps the request.
    """
    if new_city is not None and new_city.province_id == workshop.province_id:
        new_city = None
    if new_sheba == workshop.sheba:
        new_sheba = ""
    if new_city is None and not new_sheba:
        return None
    request = (
        WorkshopChangeRequest.objects.select_for_update()
        .filter(workshop=workshop, status=ChangeRequestStatus.PENDING)
        .first()
    )
    created = request is None
    if created:
        request = WorkshopChangeRequest(workshop=workshop, requested_by=actor)
    before = snapshot(request, ["new_city", "new_sheba"]) if not created else {}
    if new_city is not None:
        request.new_city = new_city
    if new_sheba:
        request.new_sheba = new_sheba
    request.requested_by = actor
    request.full_clean()
    request.save()
    changes = diff(before, snapshot(request, ["new_city", "new_sheba"]))
    if changes:
        log_action(actor=actor, obj=request, action="workshop.change_requested", changes=changes)
    return request


@transaction.atomic
def change_request_decide(
    *, request: WorkshopChangeRequest, approve: bool, reason: str, actor: User
) -> WorkshopChangeRequest:
    """Approve (the new city, province and Sheba apply, audited on the workshop) or reject with a reason.

    Only a coordinator of the workshop's current province may decide; a
    request already decided (another tab, a colleague) is refused.
    """
    if not scope_by_province(Workshop.objects.filter(pk=request.workshop_id), actor).exists():
        raise PermissionDenied
    workshop = Workshop.objects.select_for_update().get(pk=request.workshop_id)
    request = WorkshopChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ChangeRequestStatus.PENDING:
        raise ValidationError(_("This request was already decided; nothing was changed."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Please give a reason; the owner will see it.")})
    status = ChangeRequestStatus.APPROVED if approve else ChangeRequestStatus.REJECTED
    change_status(
        request,
        status,
        actor=actor,
        action=f"workshop.change_{status}",
        note=reason,
        decision_reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    if approve:
        before = snapshot(workshop, APPROVED_FIELDS)
        if request.new_city_id:
            workshop.city = request.new_city
            workshop.province = request.new_city.province
        if request.new_sheba:
            workshop.sheba = request.new_sheba
        workshop.full_clean()
        workshop.save(update_fields=list(APPROVED_FIELDS))
        log_action(
            actor=actor,
            obj=workshop,
            action="workshop.profile",
            changes=diff(before, snapshot(workshop, APPROVED_FIELDS)),
            note=_("Approved change request"),
        )
    return request
