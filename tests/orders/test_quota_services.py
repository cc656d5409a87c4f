"""Every rule of the quota services: offer, accept/decline, daily output, same-day correction; and the quota reads."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from core.models import AuditLog, Role
from production.models import OutputReport, QuotaStatus
from production.selectors.quotas import earnings_of_workshop, quota_progress, quotas_at_risk
from production.services.quotas import output_correct, output_report, quota_accept, quota_decline, quota_offer
from workshops.models import WorkshopStatus
from workshops.services import capacity_set

from .. import factories


@pytest.fixture(autouse=True)
def english_messages():
    """Error messages are asserted in English; the Persian test switches to fa itself."""
    with translation.override("en"):
        yield


def offered_quota(**kwargs):
    return factories.QuotaFactory(status=QuotaStatus.OFFERED, responded_at=None, **kwargs)


def report(quota, quantity, **kwargs):
    kwargs.setdefault("idempotency_key", uuid.uuid4())
    return output_report(quota=quota, owner=quota.workshop.owner, quantity=quantity, **kwargs)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.value.messages)


# --- Offering --------------------------------------------------------------------------------------------------


def test_offer_to_a_verified_workshop_with_the_product_fixes_the_piece_rate(db, coordinator):
    capacity = factories.WorkshopCapacityFactory()
    order = factories.OrderFactory()
    quota = quota_offer(
        order=order, workshop=capacity.workshop, quantity=50, due_date=order.needed_by, actor=coordinator
    )
    assert quota.status == QuotaStatus.OFFERED
    assert quota.piece_rate_rials == order.product.piece_rate_rials
    assert AuditLog.objects.filter(action="quota.offer", object_id=str(quota.pk)).exists()


@pytest.mark.parametrize("status", [WorkshopStatus.PENDING, WorkshopStatus.SUSPENDED])
def test_offer_is_refused_to_a_workshop_that_is_not_verified(db, coordinator, status):
    capacity = factories.WorkshopCapacityFactory(workshop__status=status)
    order = factories.OrderFactory()
    with pytest.raises(ValidationError, match="verified"):
        quota_offer(order=order, workshop=capacity.workshop, quantity=50, due_date=order.needed_by, actor=coordinator)


def test_offer_is_refused_to_a_workshop_without_capacity_for_the_product(db, coordinator):
    gowns = factories.WorkshopCapacityFactory(product=factories.product("isolation-gown"))
    order = factories.OrderFactory()  # masks
    with pytest.raises(ValidationError, match="capacity"):
        quota_offer(order=order, workshop=gowns.workshop, quantity=50, due_date=order.needed_by, actor=coordinator)


# --- Accepting and declining ---------------------------------------------------------------------------------


def test_owner_accepts_an_offered_quota(db):
    quota = offered_quota()
    quota_accept(quota=quota, owner=quota.workshop.owner)
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.ACCEPTED
    assert quota.responded_at is not None
    assert AuditLog.objects.filter(action="quota.accept", object_id=str(quota.pk)).exists()


def test_a_quota_cannot_be_accepted_twice(db):
    quota = offered_quota()
    quota_accept(quota=quota, owner=quota.workshop.owner)
    with pytest.raises(ValidationError, match="no longer waiting"):
        quota_accept(quota=quota, owner=quota.workshop.owner)


def test_suspended_workshop_cannot_accept_a_quota(db):
    quota = offered_quota(workshop__status=WorkshopStatus.SUSPENDED)
    with pytest.raises(ValidationError, match="not verified"):
        quota_accept(quota=quota, owner=quota.workshop.owner)
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.OFFERED


def test_owner_declines_with_a_reason(db):
    quota = offered_quota()
    quota_decline(quota=quota, owner=quota.workshop.owner, reason="  چرخ خیاطی خراب است ")
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.DECLINED
    assert quota.decline_reason == "چرخ خیاطی خراب است"
    assert AuditLog.objects.get(action="quota.decline", object_id=str(quota.pk)).note == "چرخ خیاطی خراب است"


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_without_a_reason_is_refused(db, reason):
    quota = offered_quota()
    with pytest.raises(ValidationError) as error:
        quota_decline(quota=quota, owner=quota.workshop.owner, reason=reason)
    assert "reason" in error.value.message_dict
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.OFFERED


def test_a_quota_cannot_be_declined_twice_nor_accepted_after_declining(db):
    quota = offered_quota()
    quota_decline(quota=quota, owner=quota.workshop.owner, reason="سفر هستم")
    with pytest.raises(ValidationError, match="no longer waiting"):
        quota_decline(quota=quota, owner=quota.workshop.owner, reason="سفر هستم")
    with pytest.raises(ValidationError, match="no longer waiting"):
        quota_accept(quota=quota, owner=quota.workshop.owner)


def test_an_accepted_quota_cannot_be_declined(db):
    quota = factories.QuotaFactory()
    with pytest.raises(ValidationError, match="no longer waiting"):
        quota_decline(quota=quota, owner=quota.workshop.owner, reason="دیگر نمی‌توانم")


# --- Daily output ---------------------------------------------------------------------------------------------


def test_a_report_adds_to_the_produced_total_and_is_audited(db):
    quota = factories.QuotaFactory()
    saved, created = report(quota, 25, note="پارچه رسید")
    quota.refresh_from_db()
    assert created is True
    assert quota.produced_units == 25
    assert saved.report_date == timezone.localdate()
    assert saved.reported_by == quota.workshop.owner
    assert AuditLog.objects.get(action="output.report").changes == {"produced_units": [0, 25]}


@pytest.mark.parametrize("quantity", [0, -3])
def test_a_report_of_zero_or_negative_units_is_refused(db, quantity):
    quota = factories.QuotaFactory()
    with pytest.raises(ValidationError) as error:
        report(quota, quantity)
    assert "quantity" in error.value.message_dict
    assert OutputReport.objects.count() == 0


def test_a_report_for_a_future_day_is_refused(db):
    quota = factories.QuotaFactory()
    with pytest.raises(ValidationError) as error:
        report(quota, 5, report_date=timezone.localdate() + dt.timedelta(days=1))
    assert "report_date" in error.value.message_dict
    quota.refresh_from_db()
    assert quota.produced_units == 0


def test_a_report_for_a_day_before_acceptance_is_refused(db):
    quota = factories.QuotaFactory()
    with pytest.raises(ValidationError) as error:
        report(quota, 5, report_date=timezone.localdate() - dt.timedelta(days=3))
    assert "report_date" in error.value.message_dict


def test_a_report_before_the_quota_is_accepted_is_refused(db):
    quota = offered_quota()
    with pytest.raises(ValidationError, match="accepted"):
        report(quota, 5)
    assert OutputReport.objects.count() == 0


def test_total_may_reach_the_quota_plus_five_percent_but_not_more(db):
    quota = factories.QuotaFactory(quantity=100)
    report(quota, 100)
    with pytest.raises(ValidationError) as error:
        report(quota, 6)
    message = " ".join(error.value.message_dict["quantity"])
    assert "at most 105 units in total" in message
    assert "reported 100 so far" in message
    assert "at most 5 more" in message
    report(quota, 5)
    quota.refresh_from_db()
    assert quota.produced_units == 105


def test_ceiling_message_has_persian_digits_in_the_persian_ui(db):
    quota = factories.QuotaFactory(quantity=100)
    with translation.override("fa"), pytest.raises(ValidationError) as error:
        report(quota, 106)
    message = " ".join(error.value.message_dict["quantity"])
    assert "۱۰۵" in message
    assert "105" not in message


def test_the_same_submission_key_counts_once(db):
    quota = factories.QuotaFactory()
    key = uuid.uuid4()
    first, created_first = report(quota, 25, idempotency_key=key)
    again, created_again = report(quota, 25, idempotency_key=key)
    quota.refresh_from_db()
    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert quota.produced_units == 25
    assert OutputReport.objects.count() == 1


def test_a_submission_key_used_for_one_quota_is_refused_for_another(db):
    quota = factories.QuotaFactory()
    other = factories.QuotaFactory(workshop=quota.workshop)
    key = uuid.uuid4()
    report(quota, 10, idempotency_key=key)
    with pytest.raises(ValidationError, match="another quota"):
        report(other, 10, idempotency_key=key)
    other.refresh_from_db()
    assert other.produced_units == 0


# --- Same-day correction ----------------------------------------------------------------------------------------


def test_same_day_correction_adjusts_the_total_and_is_audited_with_before_and_after(db):
    quota = factories.QuotaFactory()
    saved, _ = report(quota, 30)
    report(quota, 10)
    output_correct(report=saved, owner=quota.workshop.owner, quantity=25, note="اشتباه شمردم")
    quota.refresh_from_db()
    saved.refresh_from_db()
    assert quota.produced_units == 35
    assert saved.quantity == 25
    assert saved.note == "اشتباه شمردم"
    assert saved.corrected_at is not None
    entry = AuditLog.objects.get(action="output.correct")
    assert entry.changes == {"quantity": [30, 25], "quota.produced_units": [40, 35]}
    assert entry.actor == quota.workshop.owner


def test_correction_on_a_later_day_is_refused(db):
    quota = factories.QuotaFactory()
    saved, _ = report(quota, 30)
    OutputReport.objects.filter(pk=saved.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="on the day it was sent"):
        output_correct(report=saved, owner=quota.workshop.owner, quantity=20)
    quota.refresh_from_db()
    assert quota.produced_units == 30


def test_correction_above_the_ceiling_or_to_zero_is_refused(db):
    quota = factories.QuotaFactory(quantity=100)
    saved, _ = report(quota, 50)
    report(quota, 50)
    with pytest.raises(ValidationError, match="105"):
        output_correct(report=saved, owner=quota.workshop.owner, quantity=56)
    with pytest.raises(ValidationError) as error:
        output_correct(report=saved, owner=quota.workshop.owner, quantity=0)
    assert "quantity" in error.value.message_dict
    output_correct(report=saved, owner=quota.workshop.owner, quantity=55)
    quota.refresh_from_db()
    assert quota.produced_units == 105


# --- Ownership --------------------------------------------------------------------------------------------------


def test_owner_of_another_workshop_is_denied_by_every_service(db):
    quota = offered_quota()
    accepted = factories.QuotaFactory()
    saved, _ = report(accepted, 10)
    stranger = factories.WorkshopFactory().owner
    with pytest.raises(PermissionDenied):
        quota_accept(quota=quota, owner=stranger)
    with pytest.raises(PermissionDenied):
        quota_decline(quota=quota, owner=stranger, reason="نمی‌خواهم")
    with pytest.raises(PermissionDenied):
        output_report(quota=accepted, owner=stranger, quantity=5, idempotency_key=uuid.uuid4())
    with pytest.raises(PermissionDenied):
        output_correct(report=saved, owner=stranger, quantity=1)
    accepted.refresh_from_db()
    quota.refresh_from_db()
    assert (quota.status, accepted.produced_units, OutputReport.objects.get().quantity) == ("offered", 10, 10)


def test_a_coordinator_cannot_report_output_through_the_service(db, coordinator):
    quota = factories.QuotaFactory()
    assert coordinator.role == Role.COORDINATOR
    with pytest.raises(PermissionDenied):
        output_report(quota=quota, owner=coordinator, quantity=5, idempotency_key=uuid.uuid4())


# --- Reads: progress, quotas at risk, earnings ------------------------------------------------------------------


def test_progress_counts_working_days_and_compares_paces(db):
    # Accepted Saturday 4 Jan 2025, due Thursday 16 Jan: 12 working days (Friday 10 Jan is off), 10 units a day.
    quota = factories.QuotaFactory(
        quantity=120,
        produced_units=30,
        due_date=dt.date(2025, 1, 16),
        responded_at=timezone.make_aware(dt.datetime(2025, 1, 4, 10, 0)),
    )
    progress = quota_progress(quota, today=dt.date(2025, 1, 8))  # Wednesday: 5 working days in
    assert progress.produced == 30
    assert progress.remaining == 90
    assert progress.percent == 25
    assert progress.working_days_total == 12
    assert progress.working_days_elapsed == 5
    assert progress.working_days_left == 8  # 8, 9, 11..16 January
    assert progress.expected_pace == 10.0
    assert progress.actual_pace == 6.0
    assert progress.expected_by_now == 50
    assert progress.behind is True


def test_progress_on_pace_is_not_behind(db):
    quota = factories.QuotaFactory(
        quantity=120,
        produced_units=60,
        due_date=dt.date(2025, 1, 16),
        responded_at=timezone.make_aware(dt.datetime(2025, 1, 4, 10, 0)),
    )
    progress = quota_progress(quota, today=dt.date(2025, 1, 8))
    assert progress.actual_pace == 12.0
    assert progress.behind is False


def test_quota_becomes_at_risk_after_the_owner_lowers_her_capacity(db):
    quota = factories.QuotaFactory(quantity=100, capacity=20)  # 5 days of work, due in 20 days
    workshop = quota.workshop
    assert quotas_at_risk(workshop) == []
    capacity_set(workshop=workshop, product=quota.order.product, units_per_day=2, actor=workshop.owner)
    assert quotas_at_risk(workshop) == [quota]


def test_quota_is_at_risk_when_the_product_capacity_is_removed(db):
    quota = factories.QuotaFactory()
    capacity_set(workshop=quota.workshop, product=quota.order.product, units_per_day=0, actor=quota.workshop.owner)
    assert quotas_at_risk(quota.workshop) == [quota]


def test_quotas_at_risk_from_quotas_already_loaded_are_the_ones_it_reads_itself(db, django_assert_num_queries):
    behind = factories.QuotaFactory(quantity=100, capacity=20)
    workshop = behind.workshop
    fine = factories.QuotaFactory(workshop=workshop, order__product=behind.order.product, quantity=10, capacity=20)
    finished = factories.QuotaFactory(workshop=workshop, quantity=10, produced_units=10)
    offered = offered_quota(workshop=workshop, order__product=behind.order.product, quantity=500)
    capacity_set(workshop=workshop, product=behind.order.product, units_per_day=2, actor=workshop.owner)
    workshop.refresh_from_db()
    loaded = list(workshop.quotas.select_related("order__product"))
    assert {fine, finished, offered} < set(loaded)

    read_itself = quotas_at_risk(workshop)
    assert behind in read_itself
    assert finished not in read_itself and offered not in read_itself
    with django_assert_num_queries(2):  # the workshop's capacities and closed days, not its quotas again
        assert quotas_at_risk(workshop, accepted=loaded) == read_itself


def test_earnings_are_accepted_units_times_piece_rate_split_into_paid_and_unpaid(db):
    first = factories.QuotaFactory(piece_rate_rials=50_000, produced_units=100, accepted_units=80, paid_units=50)
    factories.QuotaFactory(workshop=first.workshop, piece_rate_rials=40_000, produced_units=30)
    factories.QuotaFactory(piece_rate_rials=99_000, produced_units=10, accepted_units=10)  # another workshop
    earnings = earnings_of_workshop(first.workshop)
    assert earnings.accepted_units == 80
    assert earnings.earned_rials == 4_000_000
    assert earnings.paid_rials == 2_500_000
    assert earnings.unpaid_rials == 1_500_000
    assert earnings.produced_awaiting_check == 50
