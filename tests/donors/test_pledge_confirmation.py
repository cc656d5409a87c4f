import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.models import AuditLog
from donors.ledger import selectors as ledger
from donors.models import EntryKind, LedgerEntry, Pledge, PledgeStatus
from donors.services.pledges import pledge_cancel, pledge_confirm, pledge_create
from orders.models import OrderStatus

from .. import factories

TODAY = dt.date(2026, 11, 28)


def _confirm(pledge, actor, amount=None, reference="REF-1"):
    return pledge_confirm(
        pledge=pledge,
        actor=actor,
        amount_received_rials=amount or pledge.amount_rials,
        bank_reference=reference,
        received_on=TODAY,
    )


def test_confirming_a_pledge_writes_one_received_entry_and_marks_it_received(coordinator):
    pledge = factories.PledgeFactory(amount_rials=10_000_000)
    pledge = _confirm(pledge, coordinator, amount=9_000_000)
    assert pledge.status == PledgeStatus.RECEIVED
    assert pledge.received_amount_rials == 9_000_000
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount_rials, entry.from_donor, entry.to_order) == (
        EntryKind.RECEIVED,
        9_000_000,
        pledge.donor,
        pledge.order,
    )
    assert ledger.order_applied_funds(pledge.order_id) == 9_000_000
    assert ledger.donor_given(pledge.donor_id) == 9_000_000
    assert AuditLog.objects.filter(action="pledge.confirm").count() == 1


def test_confirming_a_pledge_twice_counts_the_money_once(coordinator):
    pledge = factories.PledgeFactory(amount_rials=10_000_000)
    _confirm(pledge, coordinator)
    again = _confirm(pledge, coordinator, amount=50_000_000, reference="OTHER")
    assert again.received_amount_rials == 10_000_000
    assert again.bank_reference == "REF-1"
    assert LedgerEntry.objects.count() == 1
    assert ledger.order_applied_funds(pledge.order_id) == 10_000_000


def test_a_stale_copy_of_the_pledge_cannot_confirm_it_a_second_time(coordinator):
    pledge = factories.PledgeFactory(amount_rials=10_000_000)
    stale = Pledge.objects.get(pk=pledge.pk)
    _confirm(pledge, coordinator)
    assert stale.status == PledgeStatus.PLEDGED
    _confirm(stale, coordinator)
    assert LedgerEntry.objects.count() == 1


def test_a_confirmation_above_the_orders_remaining_budget_is_refused(coordinator):
    order = factories.OrderFactory(quantity=1000)  # budget 60,000,000
    pledge = factories.PledgeFactory(order=order, amount_rials=10_000_000)
    with pytest.raises(ValidationError):
        _confirm(pledge, coordinator, amount=60_000_001)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PLEDGED
    assert not LedgerEntry.objects.exists()


def test_a_coordinator_of_another_province_cannot_confirm_a_pledge(other_coordinator):
    pledge = factories.PledgeFactory()
    with pytest.raises(PermissionDenied):
        _confirm(pledge, other_coordinator)


def test_a_cancelled_pledge_cannot_be_confirmed(coordinator):
    pledge = pledge_cancel(pledge=factories.PledgeFactory(), actor=coordinator, reason="واریز نشد")
    assert pledge.status == PledgeStatus.CANCELLED
    assert pledge.status_reason == "واریز نشد"
    with pytest.raises(ValidationError):
        _confirm(pledge, coordinator)


def test_only_a_pledge_still_waiting_for_its_money_can_be_cancelled(coordinator):
    pledge = _confirm(factories.PledgeFactory(), coordinator)
    with pytest.raises(ValidationError):
        pledge_cancel(pledge=pledge, actor=coordinator, reason="اشتباه")


def test_cancelling_a_pledge_needs_a_reason(coordinator):
    with pytest.raises(ValidationError):
        pledge_cancel(pledge=factories.PledgeFactory(), actor=coordinator, reason="  ")


def test_a_donor_may_cancel_her_own_pledge_but_not_someone_elses(db):
    pledge = factories.PledgeFactory()
    with pytest.raises(PermissionDenied):
        pledge_cancel(pledge=pledge, actor=factories.DonorFactory().user, reason="نه")
    assert pledge_cancel(pledge=pledge, actor=pledge.donor.user, reason="منصرف شدم").status == PledgeStatus.CANCELLED


def test_a_pledge_to_a_campaign_is_received_into_the_campaign(coordinator):
    campaign = factories.CampaignFactory()
    pledge = pledge_create(donor=factories.DonorFactory(), campaign=campaign, amount_rials=7_000_000)
    _confirm(pledge, coordinator)
    assert ledger.campaign_balance(campaign.pk) == 7_000_000
    assert LedgerEntry.objects.get().to_campaign == campaign


def test_a_pledge_goes_to_exactly_one_of_an_order_or_a_campaign(db):
    donor = factories.DonorFactory()
    with pytest.raises(ValidationError):
        pledge_create(donor=donor, amount_rials=1_000_000)
    with pytest.raises(ValidationError):
        pledge_create(
            donor=donor, order=factories.OrderFactory(), campaign=factories.CampaignFactory(), amount_rials=1_000_000
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(donor=donor, order=None, campaign=None, amount_rials=1_000_000)


def test_pledging_more_than_the_order_still_needs_states_the_gap_in_persian_digits(db):
    order = factories.OrderFactory(quantity=1000)  # budget 60,000,000
    donor = factories.DonorFactory()
    pledge_create(donor=donor, order=order, amount_rials=48_000_000)
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        pledge_create(donor=donor, order=order, amount_rials=12_000_001)
    assert "۱۲٬۰۰۰٬۰۰۰" in str(refused.value)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        pledge_create(donor=donor, order=order, amount_rials=12_000_001)
    assert "12,000,000 rials" in str(refused.value)
    assert pledge_create(donor=donor, order=order, amount_rials=12_000_000).amount_rials == 12_000_000


def test_a_pledge_to_an_order_not_open_for_funding_is_refused(db):
    with pytest.raises(ValidationError):
        pledge_create(
            donor=factories.DonorFactory(),
            order=factories.OrderFactory(status=OrderStatus.REQUESTED),
            amount_rials=1_000_000,
        )


def test_a_pledge_to_a_campaign_that_has_ended_is_refused(db):
    campaign = factories.CampaignFactory(starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 2, 1))
    with pytest.raises(ValidationError):
        pledge_create(donor=factories.DonorFactory(), campaign=campaign, amount_rials=1_000_000)
