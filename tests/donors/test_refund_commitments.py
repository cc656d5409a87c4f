"""Money that offered and accepted quotas count on stays with the order: refunds and moves stop short of it.

And ``integrity_check`` reports the states this (and the allocation's lock on
a workshop being suspended) prevents, slipped in here with ``update()``.
"""

import pytest
from django.core.exceptions import ValidationError

from core.persian import ui_number
from donors.integrity import integrity_problems
from donors.ledger import selectors as ledger
from donors.services.funds import funds_move
from donors.services.pledges import pledge_refund
from orders.funding import allocated_units, committed_funds_rials, releasable_units
from orders.models import Order, OrderStatus
from production.models import Quota, QuotaStatus
from production.services.quotas import workshop_set_status_with_quotas
from workshops.models import Workshop, WorkshopStatus

from .. import factories


def _funded_order_with_offer(*, quantity: int = 100, offered: int = 70) -> tuple[Order, Quota]:
    order = factories.OrderFactory(quantity=quantity, status=OrderStatus.FUNDED)
    factories.fund_order(order)
    quota = factories.QuotaFactory(order=order, quantity=offered, status=QuotaStatus.OFFERED, responded_at=None)
    return order, quota


def test_a_refund_that_would_leave_offered_units_unpaid_is_refused_saying_how_much_is_committed(coordinator):
    order, _ = _funded_order_with_offer(quantity=100, offered=70)
    cost = order.unit_cost_rials
    with pytest.raises(ValidationError) as refused:
        pledge_refund(pledge=order.pledges.get(), amount=cost * 31, actor=coordinator, reason="درخواست خیر")
    message = refused.value.message_dict["amount_rials"][0]
    assert message == (
        f"{ui_number(cost * 70)} ریال از پول این سفارش پشتوانهٔ سهمیه‌هایی است که به کارگاه‌ها پیشنهاد شده "
        f"یا کارگاه‌ها پذیرفته‌اند؛ پس حداکثر {ui_number(cost * 30)} ریال از آن را می‌توان برداشت."
    )
    assert ledger.order_applied_funds(order.pk) == cost * 100  # nothing was refunded


def test_a_refund_up_to_the_money_no_quota_counts_on_goes_through(coordinator):
    order, _ = _funded_order_with_offer(quantity=100, offered=70)
    cost = order.unit_cost_rials
    pledge_refund(pledge=order.pledges.get(), amount=cost * 30, actor=coordinator, reason="درخواست خیر")
    assert releasable_units(order) == allocated_units(order) == 70
    assert committed_funds_rials(order) == cost * 70
    with pytest.raises(ValidationError, match="سهمیه"):
        pledge_refund(pledge=order.pledges.get(), amount=1, actor=coordinator, reason="درخواست خیر")


def test_the_money_of_a_declined_offer_is_free_to_refund(coordinator):
    order, quota = _funded_order_with_offer(quantity=100, offered=70)
    Quota.objects.filter(pk=quota.pk).update(status=QuotaStatus.DECLINED, decline_reason="سرم شلوغ است")
    pledge_refund(pledge=order.pledges.get(), amount=order.budget_rials, actor=coordinator, reason="سفارش لغو شد")
    assert ledger.order_applied_funds(order.pk) == 0


def test_money_offered_quotas_count_on_cannot_be_moved_to_another_order(coordinator):
    order, _ = _funded_order_with_offer(quantity=100, offered=70)
    other = factories.OrderFactory(quantity=100, status=OrderStatus.OPEN)
    cost = order.unit_cost_rials
    with pytest.raises(ValidationError, match="سهمیه"):
        funds_move(from_order=order, to_order=other, amount=cost * 31, actor=coordinator, reason="نیاز فوری‌تر")
    funds_move(from_order=order, to_order=other, amount=cost * 30, actor=coordinator, reason="نیاز فوری‌تر")
    assert ledger.order_applied_funds(other.pk) == cost * 30


def test_integrity_check_reports_units_offered_beyond_an_orders_funds(db):
    _funded_order_with_offer(quantity=100, offered=70)
    assert integrity_problems() == []
    # The state the refund race left: money for 5 units, 70 offered (the ledger is append-only, so the
    # quota grows instead; ledger_check alone sees nothing wrong).
    cheap = factories.OrderFactory(quantity=100, status=OrderStatus.FUNDED)
    factories.fund_order(cheap, cheap.unit_cost_rials * 5)
    factories.QuotaFactory(order=cheap, quantity=70, status=QuotaStatus.OFFERED, responded_at=None)
    assert ledger.ledger_problems() == []
    assert integrity_problems() == [
        f"Order {cheap.number}: 70 units offered to or held by workshops, but its confirmed funds of "
        f"{cheap.unit_cost_rials * 5:,} rials pay for only 5 units (units offered beyond funds)."
    ]


def test_integrity_check_reports_an_open_quota_of_a_suspended_workshop(coordinator):
    order, quota = _funded_order_with_offer(quantity=100, offered=70)
    Workshop.objects.filter(pk=quota.workshop_id).update(status=WorkshopStatus.SUSPENDED)
    problems = [p for p in integrity_problems() if "suspension" in p]
    assert problems == [
        f"Quota #{quota.pk} (order {order.number}, workshop «{quota.workshop.name}») is offered "
        f"but its workshop is suspended (a suspension cancels every open quota)."
    ]


def test_a_suspension_through_the_service_leaves_nothing_for_integrity_check_to_report(coordinator):
    _, quota = _funded_order_with_offer(quantity=100, offered=70)
    workshop_set_status_with_quotas(
        workshop=quota.workshop, status=WorkshopStatus.SUSPENDED, reason="کیفیت پایین", actor=coordinator
    )
    assert integrity_problems() == []
