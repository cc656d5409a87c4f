"""Payout batches: which units a period pays, never twice, never above an order's money, paid into the ledger."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.models import AuditLog
from donors.ledger import selectors as ledger
from donors.models import EntryKind, LedgerEntry, PledgeStatus
from donors.services.pledges import pledge_confirm, pledge_create
from fulfilment.models import Pickup, PickupLine
from orders.models import OrderStatus
from payouts.models import PayoutBatchStatus
from payouts.services import payout_batch_cancel, payout_batch_create, payout_batch_mark_paid, payout_plan

from .. import factories

AZAR_1 = dt.date(2026, 11, 22)  # 1405/09/01
AZAR_30 = dt.date(2026, 12, 21)
ABAN_1 = dt.date(2026, 10, 23)
ABAN_30 = dt.date(2026, 11, 21)
PAID_ON = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _today_in_english(monkeypatch):
    """Periods may not end in the future: pin "today" after the periods the tests use; read messages in English."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 28))
    with translation.override("en"):
        yield


def fund(order, amount, actor):
    """Money reaches the order the way donors' money does: a pledge, confirmed (the order is open for funding)."""
    status = order.status
    order.status = OrderStatus.OPEN
    order.save(update_fields=["status"])
    pledge = pledge_create(donor=factories.DonorFactory(), order=order, amount_rials=amount)
    pledge_confirm(pledge=pledge, actor=actor, amount_received_rials=amount, bank_reference="BANK", received_on=ABAN_1)
    order.status = status
    order.save(update_fields=["status"])


def pick_up(quota, units, on, actor):
    """A pickup of ``units`` accepted units, with the quota's counters kept as the pickup service keeps them."""
    pickup = Pickup.objects.create(workshop=quota.workshop, pickup_date=on, recorded_by=actor)
    PickupLine.objects.create(pickup=pickup, quota=quota, collected_units=units, accepted_units=units)
    quota.produced_units += units
    quota.collected_units += units
    quota.accepted_units += units
    quota.save(update_fields=["produced_units", "collected_units", "accepted_units"])


@pytest.fixture
def quota(coordinator):
    """100 units at 20,000 rials a unit, in a Tehran order holding 60,000,000 rials."""
    quota = factories.QuotaFactory(quantity=100)
    fund(quota.order, 60_000_000, coordinator)
    return quota


def first_aban_batch(coordinator):
    return payout_batch_create(period_start=ABAN_1, period_end=ABAN_30, actor=coordinator)


def test_a_batch_pays_the_units_accepted_at_pickups_up_to_the_end_of_the_period(coordinator, quota):
    pick_up(quota, 30, dt.date(2026, 10, 25), coordinator)
    pick_up(quota, 20, dt.date(2026, 11, 10), coordinator)
    pick_up(quota, 15, dt.date(2026, 11, 24), coordinator)  # after the period: waits for the next batch
    batch = first_aban_batch(coordinator)
    (line,) = batch.lines.all()
    assert line.units == 50
    assert line.amount_rials == 50 * 20_000
    assert line.workshop == quota.workshop
    assert batch.number.startswith("PAY-1405-")
    assert batch.status == PayoutBatchStatus.DRAFT
    assert list(batch.provinces.values_list("code", flat=True)) == ["tehran"]
    assert AuditLog.objects.filter(action="payout_batch.create").count() == 1


def test_units_left_unpaid_from_an_earlier_period_are_carried_into_the_next_batch(coordinator, quota):
    pick_up(quota, 10, dt.date(2026, 10, 1), coordinator)  # before the period, never paid
    pick_up(quota, 5, dt.date(2026, 10, 30), coordinator)
    batch = first_aban_batch(coordinator)
    assert batch.lines.get().units == 15


def test_two_batches_never_include_the_same_units(coordinator, quota):
    pick_up(quota, 40, dt.date(2026, 11, 1), coordinator)
    first_aban_batch(coordinator)
    with pytest.raises(ValidationError, match="No accepted units are waiting"):
        first_aban_batch(coordinator)
    pick_up(quota, 10, dt.date(2026, 11, 23), coordinator)
    second = payout_batch_create(period_start=AZAR_1, period_end=dt.date(2026, 11, 27), actor=coordinator)
    assert second.lines.get().units == 10


def test_a_batch_never_pays_more_than_the_order_holds_and_says_which_units_wait(coordinator):
    quota = factories.QuotaFactory(quantity=100)
    fund(quota.order, 600_000, coordinator)  # enough for 30 units at 20,000 rials
    pick_up(quota, 50, dt.date(2026, 11, 1), coordinator)
    batch = first_aban_batch(coordinator)
    assert batch.lines.get().units == 30
    (waiting,) = batch.waiting
    assert waiting["units"] == 20
    assert waiting["order_number"] == quota.order.number
    assert waiting["held_rials"] == 600_000


def test_money_reserved_by_a_draft_batch_is_not_promised_again(coordinator):
    quota = factories.QuotaFactory(quantity=100)
    other = factories.QuotaFactory(order=quota.order, quantity=100)
    fund(quota.order, 1_000_000, coordinator)  # 50 units
    pick_up(quota, 40, dt.date(2026, 11, 1), coordinator)
    first_aban_batch(coordinator)
    pick_up(other, 40, dt.date(2026, 11, 23), coordinator)
    second = payout_batch_create(period_start=AZAR_1, period_end=dt.date(2026, 11, 27), actor=coordinator)
    assert second.lines.get().units == 10
    assert second.waiting[0]["units"] == 30


def test_an_empty_batch_is_refused_politely(coordinator, quota):
    with pytest.raises(ValidationError, match="nothing to put in a batch"):
        first_aban_batch(coordinator)


def test_a_batch_whose_orders_hold_no_money_is_refused_and_says_units_wait(coordinator):
    quota = factories.QuotaFactory(quantity=100)
    pick_up(quota, 10, dt.date(2026, 11, 1), coordinator)
    with pytest.raises(ValidationError, match="do not hold the money"):
        first_aban_batch(coordinator)


def test_a_workshop_without_a_sheba_number_waits_and_the_others_are_paid(coordinator, quota):
    no_account = factories.QuotaFactory(order=quota.order, quantity=100, workshop__sheba="")
    pick_up(quota, 10, dt.date(2026, 11, 1), coordinator)
    pick_up(no_account, 15, dt.date(2026, 11, 1), coordinator)

    batch = first_aban_batch(coordinator)

    assert [(line.workshop, line.units) for line in batch.lines.all()] == [(quota.workshop, 10)]
    (waiting,) = batch.waiting
    assert (waiting["workshop_name"], waiting["units"], waiting["reason"]) == (no_account.workshop.name, 15, "no_sheba")


def test_a_batch_of_workshops_without_sheba_numbers_only_is_refused_and_says_why(coordinator, quota):
    quota.workshop.sheba = ""
    quota.workshop.save(update_fields=["sheba"])
    pick_up(quota, 10, dt.date(2026, 11, 1), coordinator)

    with pytest.raises(ValidationError, match="have no Sheba number on file"):
        first_aban_batch(coordinator)


def test_the_period_must_not_end_before_it_starts_nor_in_the_future(coordinator, quota):
    with pytest.raises(ValidationError):
        payout_batch_create(period_start=ABAN_30, period_end=ABAN_1, actor=coordinator)
    with pytest.raises(ValidationError):
        payout_batch_create(period_start=AZAR_1, period_end=AZAR_30, actor=coordinator)


def test_a_coordinator_batches_only_the_quotas_of_her_provinces(coordinator, other_coordinator, quota):
    pick_up(quota, 10, dt.date(2026, 11, 1), coordinator)
    with pytest.raises(ValidationError):
        payout_batch_create(period_start=ABAN_1, period_end=ABAN_30, actor=other_coordinator)
    assert payout_plan(period_start=ABAN_1, period_end=ABAN_30, actor=coordinator).total_units == 10


def test_marking_a_batch_paid_writes_one_payout_per_line_and_keeps_the_ledger_sound(coordinator, quota):
    second = factories.QuotaFactory(quantity=100)
    fund(second.order, 10_000_000, coordinator)
    pick_up(quota, 30, dt.date(2026, 11, 1), coordinator)
    pick_up(second, 12, dt.date(2026, 11, 2), coordinator)
    batch = payout_batch_mark_paid(
        batch=first_aban_batch(coordinator), bank_reference=" SATNA-77 ", paid_on=PAID_ON, actor=coordinator
    )
    assert batch.status == PayoutBatchStatus.PAID
    assert batch.bank_reference == "SATNA-77"
    assert batch.paid_by == coordinator
    payouts = LedgerEntry.objects.filter(kind=EntryKind.PAYOUT)
    assert sorted(payouts.values_list("amount_rials", flat=True)) == [12 * 20_000, 30 * 20_000]
    paid_to = set(batch.lines.values_list("ledger_entry__to_workshop", flat=True))
    assert paid_to == {quota.workshop_id, second.workshop_id}
    quota.refresh_from_db()
    assert quota.paid_units == 30
    assert ledger.workshop_paid(quota.workshop_id) == 600_000
    assert ledger.ledger_problems() == []
    assert AuditLog.objects.filter(action="payout_batch.paid", object_id=str(batch.pk)).exists()


def test_paying_a_batch_marks_a_pledge_applied_once_all_its_money_is_paid_to_workshops(coordinator):
    quota = factories.QuotaFactory(quantity=100)  # 20,000 rials a unit
    fund(quota.order, 600_000, coordinator)  # exactly 30 units of pay
    pick_up(quota, 30, dt.date(2026, 11, 1), coordinator)
    pledge = quota.order.pledges.get()
    assert pledge.status == PledgeStatus.RECEIVED
    payout_batch_mark_paid(
        batch=first_aban_batch(coordinator), bank_reference="SATNA-9", paid_on=PAID_ON, actor=coordinator
    )
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.APPLIED
    assert ledger.ledger_problems() == []


def test_marking_a_batch_paid_twice_pays_once(coordinator, quota):
    pick_up(quota, 30, dt.date(2026, 11, 1), coordinator)
    batch = first_aban_batch(coordinator)
    payout_batch_mark_paid(batch=batch, bank_reference="REF-1", paid_on=PAID_ON, actor=coordinator)
    payout_batch_mark_paid(batch=batch, bank_reference="REF-2", paid_on=PAID_ON, actor=coordinator)
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1
    quota.refresh_from_db()
    assert quota.paid_units == 30
    batch.refresh_from_db()
    assert batch.bank_reference == "REF-1"


def test_marking_paid_is_all_or_nothing_when_an_order_no_longer_holds_the_money(coordinator, quota):
    second = factories.QuotaFactory(quantity=100)
    fund(second.order, 200_000, coordinator)  # 10 units
    pick_up(quota, 30, dt.date(2026, 11, 1), coordinator)
    pick_up(second, 10, dt.date(2026, 11, 1), coordinator)
    batch = first_aban_batch(coordinator)
    # Someone pays the second quota's units by hand before the bank transfer is recorded.
    from donors.services.funds import payout_record

    payout_record(quota=second, units=10, actor=coordinator)
    with pytest.raises(ValidationError, match=second.order.number):
        payout_batch_mark_paid(batch=batch, bank_reference="REF", paid_on=PAID_ON, actor=coordinator)
    quota.refresh_from_db()
    assert quota.paid_units == 0
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == 1
    batch.refresh_from_db()
    assert batch.status == PayoutBatchStatus.DRAFT


def test_paid_needs_a_bank_reference_and_a_date_not_in_the_future(coordinator, quota):
    pick_up(quota, 30, dt.date(2026, 11, 1), coordinator)
    batch = first_aban_batch(coordinator)
    with pytest.raises(ValidationError, match="bank"):
        payout_batch_mark_paid(batch=batch, bank_reference="  ", paid_on=PAID_ON, actor=coordinator)
    with pytest.raises(ValidationError, match="future"):
        payout_batch_mark_paid(batch=batch, bank_reference="R", paid_on=dt.date(2026, 12, 1), actor=coordinator)
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()


def test_cancelling_a_draft_frees_its_units_for_the_next_batch(coordinator, quota):
    pick_up(quota, 30, dt.date(2026, 11, 1), coordinator)
    batch = payout_batch_cancel(batch=first_aban_batch(coordinator), actor=coordinator, reason="دوره اشتباه")
    assert batch.status == PayoutBatchStatus.CANCELLED
    assert batch.cancel_reason == "دوره اشتباه"
    assert first_aban_batch(coordinator).lines.get().units == 30
    with pytest.raises(ValidationError, match="cancelled"):
        payout_batch_mark_paid(batch=batch, bank_reference="R", paid_on=PAID_ON, actor=coordinator)


def test_a_paid_batch_cannot_be_cancelled_and_a_cancel_needs_a_reason(coordinator, quota):
    pick_up(quota, 30, dt.date(2026, 11, 1), coordinator)
    batch = first_aban_batch(coordinator)
    with pytest.raises(ValidationError):
        payout_batch_cancel(batch=batch, actor=coordinator, reason=" ")
    payout_batch_mark_paid(batch=batch, bank_reference="R", paid_on=PAID_ON, actor=coordinator)
    with pytest.raises(ValidationError, match="paid batch"):
        payout_batch_cancel(batch=batch, actor=coordinator, reason="دیر شد")


def test_a_coordinator_of_another_province_cannot_pay_or_cancel_the_batch(coordinator, other_coordinator, quota):
    pick_up(quota, 30, dt.date(2026, 11, 1), coordinator)
    batch = first_aban_batch(coordinator)
    with pytest.raises(PermissionDenied):
        payout_batch_mark_paid(batch=batch, bank_reference="R", paid_on=PAID_ON, actor=other_coordinator)
    with pytest.raises(PermissionDenied):
        payout_batch_cancel(batch=batch, actor=other_coordinator, reason="نه")
