import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.models import AuditLog
from donors.ledger import selectors as ledger
from donors.models import EntryKind, LedgerAppendOnlyError, LedgerEntry, PledgeStatus
from donors.services.funds import campaign_apply, funds_move, payout_record
from donors.services.pledges import campaign_create, pledge_confirm, pledge_create, pledge_refund
from orders.models import Order, OrderStatus

from .. import factories


def _received(actor, amount, *, order=None, campaign=None):
    pledge = factories.PledgeFactory(order=order, campaign=campaign, amount_rials=amount)
    return pledge_confirm(
        pledge=pledge, actor=actor, amount_received_rials=amount, bank_reference="REF", received_on=dt.date(2026, 11, 1)
    )


@pytest.fixture
def order(db):
    return factories.OrderFactory(quantity=1000)  # budget 60,000,000 rials


@pytest.fixture
def campaign(db):
    return factories.CampaignFactory()


def test_a_coordinator_creates_a_campaign_with_a_goal_and_a_period(coordinator):
    campaign = campaign_create(
        name="پویش فصل همدلی",
        goal_rials=5_000_000_000,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2027, 3, 1),
        description="برای زمستان",
        actor=coordinator,
    )
    assert campaign.created_by == coordinator
    assert AuditLog.objects.filter(action="campaign.create").exists()


def test_a_campaign_cannot_end_before_it_starts_nor_be_created_by_a_donor(coordinator, donor_user):
    args = {"name": "پویش", "goal_rials": 1_000, "description": ""}
    with pytest.raises(ValidationError):
        campaign_create(**args, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 11, 1), actor=coordinator)
    with pytest.raises(PermissionDenied):
        campaign_create(**args, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 2), actor=donor_user)


def test_campaign_money_applied_to_an_order_moves_from_the_pool_to_the_order(coordinator, order, campaign):
    _received(coordinator, 30_000_000, campaign=campaign)
    entry = campaign_apply(campaign=campaign, order=order, amount=20_000_000, actor=coordinator)
    assert entry.kind == EntryKind.APPLIED
    assert ledger.campaign_balance(campaign.pk) == 10_000_000
    assert ledger.order_applied_funds(order.pk) == 20_000_000
    assert AuditLog.objects.filter(action="ledger.applied").count() == 1


def test_a_campaign_cannot_apply_more_than_it_holds(coordinator, order, campaign):
    _received(coordinator, 5_000_000, campaign=campaign)
    with pytest.raises(ValidationError):
        campaign_apply(campaign=campaign, order=order, amount=5_000_001, actor=coordinator)
    assert ledger.campaign_balance(campaign.pk) == 5_000_000


def test_an_order_never_receives_more_than_its_budget(coordinator, order, campaign):
    _received(coordinator, 100_000_000, campaign=campaign)
    _received(coordinator, 50_000_000, order=order)
    with pytest.raises(ValidationError):
        campaign_apply(campaign=campaign, order=order, amount=10_000_001, actor=coordinator)
    campaign_apply(campaign=campaign, order=order, amount=10_000_000, actor=coordinator)
    assert ledger.order_applied_funds(order.pk) == order.budget_rials


def test_money_cannot_be_applied_to_a_cancelled_order(coordinator, campaign):
    _received(coordinator, 5_000_000, campaign=campaign)
    cancelled = factories.OrderFactory(status=OrderStatus.CANCELLED)
    with pytest.raises(ValidationError):
        campaign_apply(campaign=campaign, order=cancelled, amount=1_000, actor=coordinator)


def test_unspent_money_moves_from_one_order_to_another_with_a_reason(coordinator, order):
    other = factories.OrderFactory(quantity=1000)
    _received(coordinator, 30_000_000, order=order)
    with pytest.raises(ValidationError):
        funds_move(from_order=order, to_order=other, amount=1_000, actor=coordinator, reason="")
    entry = funds_move(from_order=order, to_order=other, amount=12_000_000, actor=coordinator, reason="نیاز فوری")
    assert entry.note == "نیاز فوری"
    assert ledger.order_applied_funds(order.pk) == 18_000_000
    assert ledger.order_applied_funds(other.pk) == 12_000_000


def test_an_order_cannot_move_more_than_it_holds_unspent(coordinator):
    quota = factories.QuotaFactory(produced_units=100, accepted_units=100)
    other = factories.OrderFactory(quantity=1000)
    # The quota's 100 units at 60,000 rials keep 6,000,000 with the order (see test_refund_commitments).
    _received(coordinator, 7_000_000, order=quota.order)
    payout_record(quota=quota, units=100, actor=coordinator)  # 2,000,000 paid
    with pytest.raises(ValidationError):
        funds_move(from_order=quota.order, to_order=other, amount=1_000_001, actor=coordinator, reason="جابه‌جایی")
    funds_move(from_order=quota.order, to_order=other, amount=1_000_000, actor=coordinator, reason="جابه‌جایی")
    assert ledger.order_balance(quota.order_id) == 4_000_000  # paid for the quota's units, not yet paid out


def test_an_order_cannot_move_money_to_itself(coordinator, order):
    _received(coordinator, 3_000_000, order=order)
    with pytest.raises(ValidationError):
        funds_move(from_order=order, to_order=order, amount=1_000, actor=coordinator, reason="خطا")


def test_a_payout_pays_accepted_units_at_the_piece_rate_and_marks_them_paid(coordinator):
    quota = factories.QuotaFactory(produced_units=80, accepted_units=60)
    _received(coordinator, 10_000_000, order=quota.order)
    entry = payout_record(quota=quota, units=50, actor=coordinator)
    quota.refresh_from_db()
    assert quota.paid_units == 50
    assert entry.amount_rials == 50 * quota.piece_rate_rials
    assert entry.to_workshop == quota.workshop
    assert ledger.workshop_paid(quota.workshop_id) == 1_000_000
    assert ledger.order_balance(quota.order_id) == 9_000_000
    assert ledger.order_applied_funds(quota.order_id) == 10_000_000  # paid work stays paid for


def test_a_payout_cannot_exceed_the_accepted_units_not_yet_paid(coordinator):
    quota = factories.QuotaFactory(produced_units=80, accepted_units=60, paid_units=50)
    _received(coordinator, 10_000_000, order=quota.order)
    with pytest.raises(ValidationError):
        payout_record(quota=quota, units=11, actor=coordinator)


def test_a_payout_cannot_exceed_the_money_applied_to_the_order(coordinator):
    quota = factories.QuotaFactory(produced_units=100, accepted_units=100)
    _received(coordinator, 1_999_999, order=quota.order)
    with pytest.raises(ValidationError):
        payout_record(quota=quota, units=100, actor=coordinator)
    quota.refresh_from_db()
    assert quota.paid_units == 0
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).exists()


def test_a_refund_gives_back_at_most_what_is_unspent_and_then_marks_the_pledge_refunded(coordinator, order):
    pledge = _received(coordinator, 10_000_000, order=order)
    with pytest.raises(ValidationError):
        pledge_refund(pledge=pledge, amount=10_000_001, actor=coordinator, reason="انصراف")
    pledge_refund(pledge=pledge, amount=4_000_000, actor=coordinator, reason="انصراف")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.RECEIVED
    pledge_refund(pledge=pledge, amount=6_000_000, actor=coordinator, reason="انصراف")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REFUNDED
    assert ledger.donor_given(pledge.donor_id) == 0
    assert ledger.order_applied_funds(order.pk) == 0


def test_a_campaign_refund_is_limited_to_what_the_campaign_still_holds(coordinator, order, campaign):
    pledge = _received(coordinator, 10_000_000, campaign=campaign)
    campaign_apply(campaign=campaign, order=order, amount=7_000_000, actor=coordinator)
    with pytest.raises(ValidationError):
        pledge_refund(pledge=pledge, amount=3_000_001, actor=coordinator, reason="انصراف")
    pledge_refund(pledge=pledge, amount=3_000_000, actor=coordinator, reason="انصراف")
    assert ledger.campaign_balance(campaign.pk) == 0


def test_a_pledge_whose_money_never_arrived_cannot_be_refunded(coordinator, order):
    pledge = pledge_create(donor=factories.DonorFactory(), order=order, amount_rials=1_000_000)
    with pytest.raises(ValidationError):
        pledge_refund(pledge=pledge, amount=1_000, actor=coordinator, reason="انصراف")


def test_a_ledger_entry_can_never_be_changed_or_deleted(coordinator, order):
    _received(coordinator, 1_000_000, order=order)
    entry = LedgerEntry.objects.get()
    entry.amount_rials = 2_000_000
    with pytest.raises(LedgerAppendOnlyError):
        entry.save()
    with pytest.raises(LedgerAppendOnlyError):
        entry.delete()
    with pytest.raises(LedgerAppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_rials=3)
    with pytest.raises(LedgerAppendOnlyError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get().amount_rials == 1_000_000


def test_the_database_refuses_an_entry_of_zero_rials_or_with_accounts_that_do_not_fit_its_kind(order):
    donor = factories.DonorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.bulk_create([LedgerEntry(kind=EntryKind.APPLIED, amount_rials=0, to_order=order)])
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.bulk_create(
            [LedgerEntry(kind=EntryKind.APPLIED, amount_rials=5, from_donor=donor, to_order=order)]
        )


def test_the_ledger_adds_up_after_every_kind_of_movement(coordinator, campaign):
    quota = factories.QuotaFactory(produced_units=100, accepted_units=100)
    other = factories.OrderFactory(quantity=1000)
    _received(coordinator, 20_000_000, campaign=campaign)
    pledge = _received(coordinator, 5_000_000, order=quota.order)
    campaign_apply(campaign=campaign, order=quota.order, amount=8_000_000, actor=coordinator)
    funds_move(from_order=quota.order, to_order=other, amount=1_000_000, actor=coordinator, reason="جابه‌جایی")
    payout_record(quota=quota, units=100, actor=coordinator)
    pledge_refund(pledge=pledge, amount=500_000, actor=coordinator, reason="اضافه")
    totals = ledger.ledger_totals()
    assert (totals.received, totals.held_in_campaigns, totals.paid_out, totals.refunded) == (
        25_000_000,
        12_000_000,
        2_000_000,
        500_000,
    )
    assert totals.held_in_orders == 9_500_000 + 1_000_000
    assert totals.is_conserved
    assert ledger.ledger_problems() == []


def test_the_database_itself_refuses_to_update_a_ledger_row(coordinator, order):
    _received(coordinator, 1_000_000, order=order)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE donors_ledgerentry SET amount_rials = 2")
    assert LedgerEntry.objects.get().amount_rials == 1_000_000


def test_the_applied_funds_of_orders_read_the_same_in_a_query_as_one_by_one(coordinator, order, campaign):
    other = factories.OrderFactory(quantity=1000)
    _received(coordinator, 30_000_000, order=order)
    _received(coordinator, 9_000_000, campaign=campaign)
    campaign_apply(campaign=campaign, order=other, amount=4_000_000, actor=coordinator)
    funds_move(from_order=order, to_order=other, amount=5_000_000, actor=coordinator, reason="جابه‌جایی")
    annotated = dict(
        Order.objects.annotate(applied=ledger.order_applied_funds_expression()).values_list("pk", "applied")
    )
    assert annotated == {order.pk: 25_000_000, other.pk: 9_000_000}
    assert annotated[order.pk] == ledger.order_applied_funds(order.pk)
