"""Pickups with quality check, and the collectors coordinators appoint to record them (services, no HTTP)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from core.models import AuditLog, Role, User
from fulfilment.models import PickupLine, RejectReason
from fulfilment.services.collection import (
    PickupError,
    PickupLineInput,
    collector_appoint,
    collector_revoke,
    collectors_in_scope,
    pickup_record,
)
from production.models import OutputReport, Quota, QuotaStatus
from production.services.quotas import output_correct

from .. import factories, races


def produced_quota(produced=100, collected=0, accepted=None, **kwargs) -> Quota:
    return factories.QuotaFactory(
        produced_units=produced,
        collected_units=collected,
        accepted_units=collected if accepted is None else accepted,
        **kwargs,
    )


def record(quota, actor, collected, accepted=None, rejected=0, reason="", *, date=None, workshop=None):
    line = PickupLineInput(
        quota=quota,
        collected_units=collected,
        accepted_units=collected - rejected if accepted is None else accepted,
        rejected_units=rejected,
        reject_reason=reason,
    )
    return pickup_record(
        workshop=workshop or quota.workshop,
        pickup_date=date or timezone.localdate(),
        lines=[line],
        actor=actor,
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Error messages are asserted in English (with Latin digits)."""
    with translation.override("en"):
        yield


@pytest.fixture
def collector(db):
    return factories.UserFactory(role=Role.COLLECTOR, provinces=[factories.province("tehran")])


# --- Recording ------------------------------------------------------------------------------------------------


def test_a_pickup_adds_collected_and_accepted_units_to_the_quota(coordinator):
    quota = produced_quota(produced=100)
    pickup = record(quota, coordinator, 60, rejected=5, reason=RejectReason.STITCHING)
    quota.refresh_from_db()
    assert (quota.collected_units, quota.accepted_units) == (60, 55)
    line = pickup.lines.get()
    assert (line.collected_units, line.accepted_units, line.rejected_units) == (60, 55, 5)
    assert line.reject_reason == RejectReason.STITCHING
    assert pickup.recorded_by == coordinator


def test_a_pickup_over_several_quotas_of_one_workshop_counts_each(coordinator):
    first = produced_quota(produced=50)
    second = produced_quota(produced=30, workshop=first.workshop)
    pickup = pickup_record(
        workshop=first.workshop,
        pickup_date=timezone.localdate(),
        lines=[
            PickupLineInput(quota=first, collected_units=50, accepted_units=50),
            PickupLineInput(
                quota=second, collected_units=30, accepted_units=28, rejected_units=2, reject_reason="size"
            ),
        ],
        actor=coordinator,
    )
    assert pickup.lines.count() == 2
    assert Quota.objects.get(pk=second.pk).accepted_units == 28


def test_rows_with_nothing_typed_are_skipped(coordinator):
    quota = produced_quota(produced=20)
    untouched = produced_quota(produced=20, workshop=quota.workshop)
    pickup = pickup_record(
        workshop=quota.workshop,
        pickup_date=timezone.localdate(),
        lines=[
            PickupLineInput(quota=quota, collected_units=20, accepted_units=20),
            PickupLineInput(quota=untouched, collected_units=0, accepted_units=0),
        ],
        actor=coordinator,
    )
    assert [line.quota_id for line in pickup.lines.all()] == [quota.pk]
    assert Quota.objects.get(pk=untouched.pk).collected_units == 0


def test_a_pickup_with_no_units_at_all_is_refused(coordinator):
    quota = produced_quota()
    with pytest.raises(ValidationError) as caught:
        record(quota, coordinator, 0)
    assert "at least one quota" in str(caught.value)


def test_collecting_more_than_is_left_states_how_many_are_left(coordinator):
    quota = produced_quota(produced=100, collected=60)
    with pytest.raises(PickupError) as caught:
        record(quota, coordinator, 41)
    assert caught.value.message_dict["collected_units"] == ["Only 40 produced units are still to be collected."]
    assert caught.value.line_errors[quota.pk]["collected_units"]
    assert Quota.objects.get(pk=quota.pk).collected_units == 60


def test_accepted_plus_rejected_must_equal_collected(coordinator):
    quota = produced_quota()
    with pytest.raises(ValidationError) as caught:
        record(quota, coordinator, 10, accepted=7, rejected=2, reason="size")
    assert caught.value.message_dict["accepted_units"] == ["Accepted (7) plus rejected (2) must equal collected (10)."]


def test_rejected_units_need_a_reason(coordinator):
    quota = produced_quota()
    with pytest.raises(ValidationError) as caught:
        record(quota, coordinator, 10, rejected=3)
    assert caught.value.message_dict["reject_reason"] == ["Choose the reason for rejecting 3 units."]


def test_a_quota_of_another_workshop_is_refused(coordinator):
    quota = produced_quota()
    other_workshop = factories.WorkshopFactory()
    with pytest.raises(ValidationError) as caught:
        record(quota, coordinator, 10, workshop=other_workshop)
    assert "another workshop" in str(caught.value)


@pytest.mark.parametrize("status", [QuotaStatus.OFFERED, QuotaStatus.DECLINED])
def test_a_quota_not_accepted_or_cancelled_is_refused(coordinator, status):
    quota = factories.QuotaFactory(status=status, decline_reason="x")
    with pytest.raises(ValidationError) as caught:
        record(quota, coordinator, 1)
    assert "accepted or cancelled" in str(caught.value)


def test_units_made_before_a_quota_was_cancelled_can_still_be_collected(coordinator):
    quota = produced_quota(produced=30, status=QuotaStatus.CANCELLED, cancel_reason="کارگاه تعلیق شد")
    record(quota, coordinator, 30)
    assert Quota.objects.get(pk=quota.pk).accepted_units == 30


def test_a_pickup_cannot_be_dated_in_the_future(coordinator):
    quota = produced_quota()
    with pytest.raises(ValidationError) as caught:
        record(quota, coordinator, 5, date=timezone.localdate() + dt.timedelta(days=1))
    assert caught.value.message_dict["pickup_date"] == ["A pickup cannot be dated in the future."]


def test_a_pickup_is_audit_logged_with_the_quota_counters(coordinator):
    quota = produced_quota(produced=10)
    pickup = record(quota, coordinator, 10, rejected=1, reason="hygiene")
    assert AuditLog.objects.filter(action="pickup.record", object_id=str(pickup.pk)).exists()
    entry = AuditLog.objects.get(action="quota.collect", object_id=str(quota.pk))
    assert entry.changes == {"collected_units": [0, 10], "accepted_units": [0, 9]}


def test_a_stale_quota_object_is_checked_against_the_locked_row(coordinator):
    """The caller's copy says nothing was collected; the database says 70 were. The database wins."""
    quota = produced_quota(produced=100)
    stale_copy = Quota.objects.get(pk=quota.pk)
    record(quota, coordinator, 70)
    with pytest.raises(ValidationError) as caught:
        record(stale_copy, coordinator, 40)
    assert caught.value.message_dict["collected_units"] == ["Only 30 produced units are still to be collected."]
    assert Quota.objects.get(pk=quota.pk).collected_units == 70


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across threads need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_pickups_at_the_same_moment_never_collect_more_than_was_produced():
    coordinator = factories.CoordinatorFactory()
    quota = produced_quota(produced=100)
    outcomes: list[str] = []

    def attempt():
        try:
            record(quota, coordinator, 60)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")

    with races.Race() as race:
        race.all_at_once(first=attempt, second=attempt)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Quota.objects.get(pk=quota.pk).collected_units == 60


# --- Who may record -------------------------------------------------------------------------------------------


def test_a_collector_records_pickups_in_her_province(collector):
    quota = produced_quota(produced=10)
    pickup = record(quota, collector, 10)
    assert pickup.recorded_by == collector


def test_a_collector_cannot_record_pickups_in_another_province(collector):
    workshop = factories.WorkshopFactory(province=factories.province("isfahan"))
    quota = produced_quota(workshop=workshop)
    with pytest.raises(PermissionDenied):
        record(quota, collector, 1)


def test_a_coordinator_of_another_province_cannot_record(other_coordinator):
    quota = produced_quota()
    with pytest.raises(PermissionDenied):
        record(quota, other_coordinator, 1)


def test_a_workshop_owner_cannot_record_her_own_pickup(db):
    quota = produced_quota()
    with pytest.raises(PermissionDenied):
        record(quota, quota.workshop.owner, 1)


def test_a_national_coordinator_records_anywhere(national_coordinator):
    quota = produced_quota(workshop=factories.WorkshopFactory(province=factories.province("isfahan")))
    assert record(quota, national_coordinator, 5).lines.count() == 1


# --- Database checks behind the counters ----------------------------------------------------------------------


def test_the_database_refuses_a_pickup_line_whose_parts_do_not_add_up(coordinator):
    pickup = record(produced_quota(produced=10), coordinator, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PickupLine.objects.create(pickup=pickup, quota=produced_quota(), collected_units=5, accepted_units=3)


def test_the_database_refuses_a_rejection_without_reason(coordinator):
    pickup = record(produced_quota(produced=10), coordinator, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PickupLine.objects.create(
            pickup=pickup, quota=produced_quota(), collected_units=5, accepted_units=3, rejected_units=2
        )


def test_the_database_refuses_collecting_more_than_produced(db):
    quota = produced_quota(produced=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.filter(pk=quota.pk).update(collected_units=11)


def test_the_database_refuses_accepting_more_than_collected(db):
    quota = produced_quota(produced=10, collected=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.filter(pk=quota.pk).update(accepted_units=6)


# --- The owner's correction may not undo collected units ------------------------------------------------------


def test_an_output_correction_cannot_go_below_the_units_already_collected(coordinator):
    quota = produced_quota(produced=0)
    owner = quota.workshop.owner
    report = OutputReport.objects.create(
        quota=quota, report_date=timezone.localdate(), quantity=50, idempotency_key=uuid.uuid4(), reported_by=owner
    )
    Quota.objects.filter(pk=quota.pk).update(produced_units=50)
    record(Quota.objects.get(pk=quota.pk), coordinator, 30)
    with pytest.raises(ValidationError) as caught:
        output_correct(report=report, owner=owner, quantity=20)
    assert caught.value.message_dict["quantity"] == [
        "30 units of this quota have already been collected, so this report cannot be less than 30."
    ]
    output_correct(report=report, owner=owner, quantity=30)
    assert Quota.objects.get(pk=quota.pk).produced_units == 30


# --- Collectors -----------------------------------------------------------------------------------------------


def test_a_coordinator_appoints_a_collector_with_a_temporary_password(coordinator):
    tehran = factories.province("tehran")
    user = collector_appoint(actor=coordinator, mobile="۰۹۱۲ ۱۲۳ ۴۵۶۷", full_name="علی جمع‌آور", provinces=[tehran])
    assert user.role == Role.COLLECTOR and user.mobile == "09121234567"
    assert list(user.provinces.all()) == [tehran]
    assert user.check_password(user.temporary_password)
    assert not user.is_staff
    assert user.groups.filter(name="collectors").exists()
    assert AuditLog.objects.filter(action="collector.appoint", object_id=str(user.pk)).exists()


def test_a_coordinator_cannot_give_a_province_she_does_not_cover(coordinator):
    with pytest.raises(ValidationError) as caught:
        collector_appoint(
            actor=coordinator, mobile="09121234567", full_name="علی", provinces=[factories.province("isfahan")]
        )
    assert "provinces" in caught.value.message_dict
    assert not User.objects.filter(mobile="09121234567").exists()


def test_appointing_an_existing_collector_adds_the_province_and_keeps_her_password(coordinator, other_coordinator):
    user = collector_appoint(
        actor=other_coordinator, mobile="09121234567", full_name="علی", provinces=[factories.province("isfahan")]
    )
    again = collector_appoint(
        actor=coordinator, mobile="09121234567", full_name="علی", provinces=[factories.province("tehran")]
    )
    assert again.pk == user.pk and again.temporary_password is None
    assert set(again.provinces.values_list("code", flat=True)) == {"tehran", "isfahan"}


def test_a_mobile_of_a_user_with_another_role_cannot_become_a_collector(coordinator, owner):
    with pytest.raises(ValidationError) as caught:
        collector_appoint(actor=coordinator, mobile=owner.mobile, full_name="x", provinces=[factories.province()])
    assert "another role" in caught.value.message_dict["mobile"][0]


def test_a_collector_cannot_appoint_collectors(collector):
    with pytest.raises(PermissionDenied):
        collector_appoint(actor=collector, mobile="09121234567", full_name="x", provinces=[factories.province()])


def test_revoking_takes_only_the_coordinators_provinces(coordinator, other_coordinator):
    user = collector_appoint(
        actor=other_coordinator, mobile="09121234567", full_name="علی", provinces=[factories.province("isfahan")]
    )
    collector_appoint(actor=coordinator, mobile="09121234567", full_name="علی", provinces=[factories.province()])
    collector_revoke(actor=coordinator, collector=user)
    user.refresh_from_db()
    assert list(user.provinces.values_list("code", flat=True)) == ["isfahan"]
    assert user.is_active
    assert user not in collectors_in_scope(coordinator)


def test_a_collector_without_provinces_left_can_no_longer_log_in(coordinator):
    user = collector_appoint(actor=coordinator, mobile="09121234567", full_name="علی", provinces=[factories.province()])
    collector_revoke(actor=coordinator, collector=user)
    user.refresh_from_db()
    assert not user.is_active
    assert AuditLog.objects.filter(action="collector.revoke", object_id=str(user.pk)).exists()
    again = collector_appoint(
        actor=coordinator, mobile="09121234567", full_name="علی", provinces=[factories.province()]
    )
    assert again.is_active and again.temporary_password


def test_a_coordinator_cannot_revoke_a_collector_of_other_provinces(coordinator, other_coordinator):
    user = collector_appoint(
        actor=other_coordinator, mobile="09121234567", full_name="علی", provinces=[factories.province("isfahan")]
    )
    with pytest.raises(PermissionDenied):
        collector_revoke(actor=coordinator, collector=user)
