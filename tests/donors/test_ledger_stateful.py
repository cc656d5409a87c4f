"""Random sequences of pledges, confirmations, applications, moves, payouts and refunds keep the ledger sound.

The state machine runs inside a pytest-django ``db`` test; each example opens a
savepoint in ``__init__`` and rolls it back in ``teardown``, so every example
starts from the same database.
"""

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from donors.ledger import selectors as ledger
from donors.ledger import trace
from donors.models import LedgerEntry, Pledge, PledgeStatus
from donors.services.funds import campaign_apply, funds_move, payout_record
from donors.services.pledges import pledge_cancel, pledge_confirm, pledge_create, pledge_refund
from orders.models import OrderStatus
from production.models import Quota

from .. import factories

AMOUNTS = st.integers(min_value=1, max_value=40).map(lambda millions: millions * 1_000_000)


def _tolerated(call) -> None:
    """Run a service; a refusal (the invariant it protects) is a valid outcome."""
    with contextlib.suppress(ValidationError):
        call()


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        assert not LedgerEntry.objects.exists()  # the previous example was rolled back
        self.actor = factories.CoordinatorFactory(is_national=True, provinces=[])
        self.donors = [factories.DonorFactory() for _ in range(2)]
        self.campaign = factories.CampaignFactory()
        # Budgets of 60,000,000 rials; the quota's 100 accepted units cost 2,000,000.
        self.orders = [factories.OrderFactory(quantity=1000, status=OrderStatus.FUNDED) for _ in range(2)]
        self.quota = factories.QuotaFactory(order=self.orders[0], produced_units=100, accepted_units=100)

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def _pledges(self, *statuses):
        return list(Pledge.objects.filter(status__in=statuses).order_by("pk"))

    @rule(donor=st.integers(0, 1), where=st.integers(0, 2), amount=AMOUNTS)
    def pledge(self, donor, where, amount):
        destination = {"campaign": self.campaign} if where == 2 else {"order": self.orders[where]}
        _tolerated(lambda: pledge_create(donor=self.donors[donor], amount_rials=amount, **destination))

    @rule(index=st.integers(0, 20), amount=AMOUNTS, twice=st.booleans())
    def confirm(self, index, amount, twice):
        pledges = self._pledges(PledgeStatus.PLEDGED, PledgeStatus.RECEIVED)
        if not pledges:
            return
        pledge = pledges[index % len(pledges)]
        for _ in range(2 if twice else 1):
            _tolerated(
                lambda: pledge_confirm(
                    pledge=pledge,
                    actor=self.actor,
                    amount_received_rials=amount,
                    bank_reference="REF",
                    received_on=dt.date(2026, 11, 1),
                )
            )

    @rule(index=st.integers(0, 20))
    def cancel(self, index):
        pledges = self._pledges(PledgeStatus.PLEDGED)
        if pledges:
            pledge_cancel(pledge=pledges[index % len(pledges)], actor=self.actor, reason="لغو")

    @rule(which=st.integers(0, 1), amount=AMOUNTS)
    def apply(self, which, amount):
        _tolerated(
            lambda: campaign_apply(campaign=self.campaign, order=self.orders[which], amount=amount, actor=self.actor)
        )

    @rule(source=st.integers(0, 1), amount=AMOUNTS)
    def move(self, source, amount):
        _tolerated(
            lambda: funds_move(
                from_order=self.orders[source],
                to_order=self.orders[1 - source],
                amount=amount,
                actor=self.actor,
                reason="جابه‌جایی",
            )
        )

    @rule(units=st.integers(1, 60))
    def payout(self, units):
        _tolerated(lambda: payout_record(quota=self.quota, units=units, actor=self.actor))

    @rule(index=st.integers(0, 20), amount=AMOUNTS)
    def refund(self, index, amount):
        pledges = self._pledges(PledgeStatus.RECEIVED)
        if pledges:
            pledge = pledges[index % len(pledges)]
            _tolerated(lambda: pledge_refund(pledge=pledge, amount=amount, actor=self.actor, reason="بازگشت"))

    @invariant()
    def the_donors_trace_accounts_for_every_rial(self):
        money = trace.attribute_ledger()
        for campaign_or_order, balance in (
            (("campaign", self.campaign.pk), ledger.campaign_balance(self.campaign.pk)),
            *((("order", order.pk), ledger.order_balance(order.pk)) for order in self.orders),
        ):
            assert sum(item.held.get(campaign_or_order, 0) for item in money.values()) == balance
        assert sum(item.paid_total for item in money.values()) == ledger.quota_paid(self.quota.pk)
        for pledge_id, item in money.items():
            assert item.held_total + item.paid_total + item.refunded == ledger.pledge_received(pledge_id)

    @invariant()
    def the_ledger_check_finds_nothing_wrong(self):
        assert ledger.ledger_problems() == []

    @invariant()
    def money_is_conserved_and_nothing_is_negative(self):
        totals = ledger.ledger_totals()
        assert totals.is_conserved
        assert ledger.campaign_balance(self.campaign.pk) >= 0
        for order in self.orders:
            assert 0 <= ledger.order_balance(order.pk) <= ledger.order_applied_funds(order.pk) <= order.budget_rials
        quota = Quota.objects.get(pk=self.quota.pk)
        assert ledger.quota_paid(quota.pk) == quota.paid_rials <= ledger.order_paid_out(quota.order_id)
        for donor in self.donors:
            assert ledger.donor_given(donor.pk) >= 0


def test_random_ledger_movements_keep_money_conserved_and_nothing_negative(db):
    run_state_machine_as_test(LedgerMachine, settings=settings(max_examples=25, stateful_step_count=12, deadline=None))
