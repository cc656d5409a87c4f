"""The rules the workshop services enforce, whichever page calls them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditLog, Role
from workshops.models import WorkshopCapacity, WorkshopStatus
from workshops.services import (
    capacity_set,
    weekdays_set,
    workshop_register,
    workshop_set_status,
    workshop_update_profile,
)

from .. import factories


@pytest.fixture
def workshop(db):
    return factories.WorkshopFactory(status=WorkshopStatus.PENDING)


def capacity_entries(workshop):
    return AuditLog.objects.filter(action="workshop.capacity", object_id=str(workshop.pk))


def test_declaring_a_capacity_is_audited_with_before_and_after(workshop):
    mask = factories.product()
    capacity_set(workshop=workshop, product=mask, units_per_day=500, actor=workshop.owner)
    entry = capacity_entries(workshop).get()
    assert entry.actor == workshop.owner
    assert entry.changes == {f"units_per_day:{mask.code}": [None, 500]}


def test_changing_and_removing_a_capacity_are_audited(workshop):
    mask = factories.product()
    capacity_set(workshop=workshop, product=mask, units_per_day=500, actor=workshop.owner)
    capacity_set(workshop=workshop, product=mask, units_per_day=300, actor=workshop.owner)
    capacity_set(workshop=workshop, product=mask, units_per_day=0, actor=workshop.owner)
    changes = [entry.changes[f"units_per_day:{mask.code}"] for entry in capacity_entries(workshop).order_by("id")]
    assert changes == [[None, 500], [500, 300], [300, None]]
    assert not WorkshopCapacity.objects.filter(workshop=workshop).exists()


def test_saving_the_same_capacity_again_writes_no_audit_entry(workshop):
    mask = factories.product()
    capacity_set(workshop=workshop, product=mask, units_per_day=500, actor=workshop.owner)
    capacity_set(workshop=workshop, product=mask, units_per_day=500, actor=workshop.owner)
    capacity_set(workshop=workshop, product=factories.product("surgical-gown"), units_per_day=None, actor=None)
    assert capacity_entries(workshop).count() == 1


def test_negative_capacity_is_refused(workshop):
    with pytest.raises(ValidationError):
        capacity_set(workshop=workshop, product=factories.product(), units_per_day=-1, actor=workshop.owner)
    assert not WorkshopCapacity.objects.exists()


def test_a_capacity_above_the_daily_limit_is_refused_by_the_service_as_by_the_form(workshop):
    with pytest.raises(ValidationError) as error:
        capacity_set(workshop=workshop, product=factories.product(), units_per_day=10**7, actor=workshop.owner)
    assert "units_per_day" in error.value.error_dict
    assert not WorkshopCapacity.objects.exists()


def test_more_than_a_thousand_machines_or_workers_is_refused_by_the_service_as_by_the_form(workshop):
    for field in ("sewing_machines", "workers"):
        with pytest.raises(ValidationError) as error:
            workshop_update_profile(workshop=workshop, actor=workshop.owner, **{field: 1_001})
        assert field in error.value.error_dict
    workshop.refresh_from_db()
    assert (workshop.sewing_machines, workshop.workers) != (1_001, 1_001)


def test_a_workshop_must_work_at_least_one_weekday(workshop):
    with pytest.raises(ValidationError) as error:
        weekdays_set(workshop=workshop, weekdays=[], actor=workshop.owner)
    assert "weekdays" in error.value.error_dict


def test_registering_takes_the_province_from_the_city_and_waits_for_verification(db):
    owner = factories.UserFactory(role=Role.WORKSHOP_OWNER)
    workshop = workshop_register(
        owner=owner, name="کارگاه شیراز", national_id="0499370899", city=factories.capital("fars"), address="شیراز"
    )
    assert workshop.province == factories.province("fars")
    assert workshop.status == WorkshopStatus.PENDING


def test_an_owner_cannot_register_a_second_workshop(workshop):
    with pytest.raises(ValidationError):
        workshop_register(
            owner=workshop.owner, name="دومی", national_id="0499370899", city=factories.capital(), address="تهران"
        )


def test_only_workshop_owners_register_workshops(donor_user):
    with pytest.raises(ValidationError):
        workshop_register(
            owner=donor_user, name="کارگاه", national_id="0499370899", city=factories.capital(), address="تهران"
        )


def test_coordinator_verifies_a_pending_workshop_without_giving_a_reason(workshop, coordinator):
    workshop = workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="", actor=coordinator)
    assert workshop.status == WorkshopStatus.VERIFIED
    assert AuditLog.objects.filter(action="workshop.status", object_id=str(workshop.pk)).exists()


def test_suspending_needs_a_reason_the_owner_will_see(workshop, coordinator):
    workshop.status = WorkshopStatus.VERIFIED
    workshop.save()
    with pytest.raises(ValidationError) as error:
        workshop_set_status(workshop=workshop, status=WorkshopStatus.SUSPENDED, reason="   ", actor=coordinator)
    assert "reason" in error.value.error_dict
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.VERIFIED
    workshop_set_status(workshop=workshop, status=WorkshopStatus.SUSPENDED, reason="تحویل دیرهنگام", actor=coordinator)
    workshop.refresh_from_db()
    assert (workshop.status, workshop.status_reason) == (WorkshopStatus.SUSPENDED, "تحویل دیرهنگام")


def test_reactivating_a_suspended_workshop_needs_a_reason_too(workshop, coordinator):
    workshop.status = WorkshopStatus.SUSPENDED
    workshop.status_reason = "تحویل دیرهنگام"
    workshop.save()
    with pytest.raises(ValidationError):
        workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="", actor=coordinator)
    workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="مشکل حل شد", actor=coordinator)
    workshop.refresh_from_db()
    assert (workshop.status, workshop.status_reason) == (WorkshopStatus.VERIFIED, "مشکل حل شد")


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (WorkshopStatus.VERIFIED, WorkshopStatus.VERIFIED),
        (WorkshopStatus.VERIFIED, WorkshopStatus.PENDING),
        (WorkshopStatus.SUSPENDED, WorkshopStatus.PENDING),
        (WorkshopStatus.PENDING, WorkshopStatus.PENDING),
    ],
)
def test_status_changes_outside_the_allowed_transitions_are_refused(workshop, coordinator, current, target):
    workshop.status = current
    workshop.save()
    with pytest.raises(ValidationError):
        workshop_set_status(workshop=workshop, status=target, reason="دلیل", actor=coordinator)
    workshop.refresh_from_db()
    assert workshop.status == current


def test_coordinator_of_another_province_cannot_change_the_status(workshop, other_coordinator):
    with pytest.raises(PermissionDenied):
        workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="", actor=other_coordinator)
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.PENDING


def test_workshop_owner_cannot_change_her_own_status(workshop):
    with pytest.raises(PermissionDenied):
        workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="", actor=workshop.owner)


def test_national_coordinator_may_change_any_provinces_workshop(db, national_coordinator):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING, province=factories.province("isfahan"))
    workshop_set_status(workshop=workshop, status=WorkshopStatus.VERIFIED, reason="", actor=national_coordinator)
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.VERIFIED
