"""Collection: picking finished units up at a workshop and checking them, and the collectors who may do it.

A pickup moves quantities (``Quota.collected_units`` and ``accepted_units``),
so ``pickup_record`` locks the quota rows (in primary-key order, so two
pickups touching the same quotas never deadlock) before it reads the totals it
checks. Accepted units are what the workshop is paid for and what can be
delivered; rejected ones are counted as collected but go no further.

Coordinators may appoint *collectors*: users who only record pickups, in
provinces the coordinator covers.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import add_and_log, log_action
from core.models import Province, Role, User
from core.permissions import user_can
from core.persian import ui_number
from core.roles import user_set_role_group
from core.scoping import scope_by_province, sees_all_provinces
from core.validators import normalize_mobile
from production.models import Quota, QuotaStatus
from workshops.models import Workshop

from ..models import Pickup, PickupLine, RejectReason

# Units can still be collected from a cancelled quota: what was made before the cancellation is the workshop's.
COLLECTABLE_STATUSES = (QuotaStatus.ACCEPTED, QuotaStatus.CANCELLED)


@dataclass(frozen=True)
class PickupLineInput:
    """What was typed for one quota at a pickup."""

    quota: Quota
    collected_units: int
    accepted_units: int
    rejected_units: int = 0
    reject_reason: str = ""
    reject_note: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.collected_units or self.accepted_units or self.rejected_units)


class PickupError(ValidationError):
    """A refused pickup. Besides the usual ``message_dict`` (messages by field, all rows together),
    ``line_errors`` maps a quota's pk to that row's ``{field: [messages]}`` so a form can show each
    message on its own row, and ``general`` holds the rest (date, nothing typed)."""

    def __init__(self, general: dict[str, list[str]], line_errors: dict[int, dict[str, list[str]]]):
        merged: dict[str, list[str]] = defaultdict(list)
        for field, messages in general.items():
            merged[field].extend(messages)
        for fields in line_errors.values():
            for field, messages in fields.items():
                merged[field].extend(messages)
        super().__init__(dict(merged))
        self.general = general
        self.line_errors = line_errors


# --- Who may record -------------------------------------------------------------------------------------------


def can_record_pickup(user: User, workshop: Workshop) -> bool:
    """A coordinator of the workshop's province (national coordinators and superusers: any), or a collector
    appointed for that province."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not user_can(user, "record_pickups"):
        return False
    return scope_by_province(Workshop.objects.filter(pk=workshop.pk), user).exists()


# --- Recording a pickup ---------------------------------------------------------------------------------------


def _check_line(line: PickupLineInput, quota: Quota, workshop: Workshop) -> dict[str, list[str]]:
    """This row's problems by field; empty when the row is fine. ``quota`` is the locked, fresh row."""
    errors: dict[str, list[str]] = defaultdict(list)
    if quota.workshop_id != workshop.pk:
        errors[NON_FIELD_ERRORS].append(_("This quota belongs to another workshop."))
        return errors
    if quota.status not in COLLECTABLE_STATUSES:
        errors[NON_FIELD_ERRORS].append(_("Units can only be collected from an accepted or cancelled quota."))
        return errors
    for field in ("collected_units", "accepted_units", "rejected_units"):
        if getattr(line, field) < 0:
            errors[field].append(_("Enter 0 or more."))
    if errors:
        return errors
    collectable = quota.produced_units - quota.collected_units
    if line.collected_units > collectable:
        if collectable == 0:
            errors["collected_units"].append(_("All produced units of this quota have been collected already."))
        else:
            errors["collected_units"].append(
                _("Only %(units)s produced units are still to be collected.") % {"units": ui_number(collectable)}
            )
    if line.accepted_units + line.rejected_units != line.collected_units:
        errors["accepted_units"].append(
            _("Accepted (%(accepted)s) plus rejected (%(rejected)s) must equal collected (%(collected)s).")
            % {
                "accepted": ui_number(line.accepted_units),
                "rejected": ui_number(line.rejected_units),
                "collected": ui_number(line.collected_units),
            }
        )
    if line.rejected_units > 0 and not line.reject_reason:
        errors["reject_reason"].append(
            _("Choose the reason for rejecting %(units)s units.") % {"units": ui_number(line.rejected_units)}
        )
    if line.reject_reason and line.reject_reason not in RejectReason.values:
        errors["reject_reason"].append(_("Choose one of the listed reasons."))
    return errors


def _lock_quotas(lines: Sequence[PickupLineInput]) -> dict[int, Quota]:
    pks = sorted(line.quota.pk for line in lines)
    return {quota.pk: quota for quota in Quota.objects.select_for_update().filter(pk__in=pks).order_by("pk")}


@transaction.atomic
def pickup_record(
    *,
    workshop: Workshop,
    pickup_date: dt.date,
    lines: Sequence[PickupLineInput],
    actor: User,
    note: str = "",
) -> Pickup:
    """Record a pickup with its quality check and add its units to the quotas' counters.

    Rows with nothing typed are skipped (the form shows every open quota);
    any problem refuses the whole pickup with a ``PickupError``.
    """
    if not can_record_pickup(actor, workshop):
        raise PermissionDenied
    general: dict[str, list[str]] = {}
    if pickup_date > timezone.localdate():
        general["pickup_date"] = [_("A pickup cannot be dated in the future.")]
    filled = [line for line in lines if not line.is_empty]
    if not filled:
        general[NON_FIELD_ERRORS] = [_("Enter the units collected for at least one quota.")]
        raise PickupError(general, {})
    if len({line.quota.pk for line in filled}) != len(filled):
        general[NON_FIELD_ERRORS] = [_("Each quota may appear only once in a pickup.")]
        raise PickupError(general, {})
    locked = _lock_quotas(filled)
    line_errors = {}
    for line in filled:
        errors = _check_line(line, locked[line.quota.pk], workshop)
        if errors:
            line_errors[line.quota.pk] = dict(errors)
    if general or line_errors:
        raise PickupError(general, line_errors)

    pickup = Pickup.objects.create(workshop=workshop, pickup_date=pickup_date, recorded_by=actor, note=note.strip())
    for line in filled:
        quota = locked[line.quota.pk]
        PickupLine.objects.create(
            pickup=pickup,
            quota=quota,
            collected_units=line.collected_units,
            accepted_units=line.accepted_units,
            rejected_units=line.rejected_units,
            reject_reason=line.reject_reason if line.rejected_units else "",
            reject_note=line.reject_note.strip() if line.rejected_units else "",
        )
        add_and_log(
            quota,
            {"collected_units": line.collected_units, "accepted_units": line.accepted_units},
            actor=actor,
            action="quota.collect",
            note=f"pickup {pickup.pk}",
        )
    log_action(
        actor=actor,
        obj=pickup,
        action="pickup.record",
        changes={
            "collected_units": [None, sum(line.collected_units for line in filled)],
            "accepted_units": [None, sum(line.accepted_units for line in filled)],
            "rejected_units": [None, sum(line.rejected_units for line in filled)],
        },
        note=pickup.note,
    )
    return pickup


# --- Collectors -----------------------------------------------------------------------------------------------

# No 0/O or 1/I/l: the coordinator reads the password out over the phone.
READABLE_CHARACTERS = "abcdefghjkmnpqrstuvwxyz23456789"


def _temporary_password() -> str:
    return "".join(secrets.choice(READABLE_CHARACTERS) for _ in range(10))


def _require_coordinator(actor: User) -> None:
    if not user_can(actor, "appoint_collectors"):
        raise PermissionDenied


def collectors_in_scope(actor: User):
    """Active collectors with at least one province the actor covers."""
    collectors = User.objects.filter(role=Role.COLLECTOR, is_active=True)
    return scope_by_province(collectors, actor, field="provinces").distinct().prefetch_related("provinces")


@transaction.atomic
def collector_appoint(*, actor: User, mobile: str, full_name: str, provinces: Iterable[Province]) -> User:
    """Make (or reuse) a collector for ``provinces``, all of which the coordinator must cover.

    A new or re-activated collector gets a temporary password, returned once in
    ``user.temporary_password`` for the coordinator to pass on; an active
    collector keeps hers and gains the provinces.
    """
    _require_coordinator(actor)
    provinces = list(provinces)
    if not provinces:
        raise ValidationError({"provinces": _("Choose at least one province.")})
    covered = set(scope_by_province(Province.objects.all(), actor, field="pk").values_list("pk", flat=True))
    outside = [province for province in provinces if province.pk not in covered]
    if outside:
        raise ValidationError(
            {
                "provinces": _("You can only give provinces you coordinate; not: %(names)s.")
                % {"names": "، ".join(str(province) for province in outside)}
            }
        )
    full_name = full_name.strip()
    mobile = normalize_mobile(mobile)
    user = User.objects.select_for_update().filter(mobile=mobile).first()
    temporary_password = None
    if user is None:
        temporary_password = _temporary_password()
        # must_change_password: the coordinator knows this password, so the collector picks her own at first login.
        user = User.objects.create_user(
            mobile, temporary_password, full_name=full_name, role=Role.COLLECTOR, must_change_password=True
        )
        user_set_role_group(user)
        action, before_provinces = "collector.appoint", []
    elif user.role != Role.COLLECTOR:
        raise ValidationError(
            {
                "mobile": _("This mobile number belongs to a user with another role (%(role)s).")
                % {"role": user.get_role_display()}
            }
        )
    else:
        before_provinces = sorted(user.provinces.values_list("pk", flat=True))
        action = "collector.extend"
        if not user.is_active:
            temporary_password = _temporary_password()
            user.set_password(temporary_password)
            user.must_change_password = True
            user.is_active = True
            if full_name:
                user.full_name = full_name
            user.save(update_fields=["password", "must_change_password", "is_active", "full_name"])
            action = "collector.reactivate"
    user.provinces.add(*provinces)
    after_provinces = sorted(user.provinces.values_list("pk", flat=True))
    log_action(actor=actor, obj=user, action=action, changes={"provinces": [before_provinces, after_provinces]})
    user.temporary_password = temporary_password
    return user


@transaction.atomic
def collector_revoke(*, actor: User, collector: User) -> User:
    """Take the actor's provinces away from a collector; with none left she can no longer log in."""
    _require_coordinator(actor)
    collector = User.objects.select_for_update().get(pk=collector.pk)
    if collector.role != Role.COLLECTOR:
        raise ValidationError(_("This user is not a collector."))
    before = sorted(collector.provinces.values_list("pk", flat=True))
    mine = scope_by_province(collector.provinces.all(), actor, field="pk")
    if not sees_all_provinces(actor) and not mine.exists():
        raise PermissionDenied
    collector.provinces.remove(*mine)
    after = sorted(collector.provinces.values_list("pk", flat=True))
    changes = {"provinces": [before, after]}
    if not after and collector.is_active:
        collector.is_active = False
        collector.save(update_fields=["is_active"])
        changes["is_active"] = [True, False]
    log_action(actor=actor, obj=collector, action="collector.revoke", changes=changes)
    return collector
