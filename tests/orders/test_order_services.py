"""Every rule of the order services: numbering, who creates what, the lifecycle, confirmed funds, extend and cancel."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from core.jalali import jalali_year
from core.models import AuditLog
from donors.services.pledges import pledge_confirm, pledge_create, pledge_refund
from orders import funding
from orders.funding import (
    allocated_units,
    confirmed_funds_rials,
    funded_percent,
    is_fully_funded,
    is_partly_funded,
    releasable_units,
    unallocated_releasable_units,
)
from orders.models import Order, OrderPriority, OrderStatus
from orders.services import (
    ALLOWED_TRANSITIONS,
    order_approve,
    order_cancel,
    order_close,
    order_create,
    order_extend,
    order_mark_in_production_if_needed,
    order_reject,
    order_set_status,
)
from production.models import QuotaStatus
from production.services.quotas import quota_accept

from .. import factories

MASK_COST = 60_000  # unit cost of the surgical mask in the catalogue


@pytest.fixture(autouse=True)
def english_messages():
    """Error messages are asserted in English; the Persian tests switch to fa themselves."""
    with translation.override("en"):
        yield


def messages_of(error) -> str:
    return " ".join(error.value.messages)


def new_order(user, center=None, **kwargs):
    kwargs.setdefault("product", factories.product())
    kwargs.setdefault("quantity", 1000)
    kwargs.setdefault("needed_by", timezone.localdate() + dt.timedelta(days=30))
    return order_create(health_center=center or factories.HealthCenterFactory(), created_by=user, **kwargs)


def funded_order(coordinator, amount=None, **kwargs):
    """An approved order with a donor's payment of ``amount`` rials (default: the budget) confirmed in the ledger."""
    return factories.fund_order(factories.OrderFactory(status=OrderStatus.OPEN, **kwargs), amount)


def confirm_payment(order, amount, actor, **pledge_kwargs):
    """A coordinator confirms that a donor's payment for ``order`` arrived (the only way money reaches an order)."""
    pledge = factories.PledgeFactory(order=order, amount_rials=amount, **pledge_kwargs)
    pledge_confirm(
        pledge=pledge,
        actor=actor,
        amount_received_rials=amount,
        bank_reference="رسید ۱۲",
        received_on=timezone.localdate(),
    )
    order.refresh_from_db()
    return order


def audit_entries(obj, action):
    return AuditLog.objects.filter(object_id=str(obj.pk), action=action, content_type__model=obj._meta.model_name)


# --- Creation ---------------------------------------------------------------------------------------------------


def test_orders_are_numbered_by_jalali_year_and_count_up(coordinator):
    year = jalali_year(timezone.localdate())
    first = new_order(coordinator)
    second = new_order(coordinator)
    assert first.number == f"ORD-{year}-000001"
    assert second.number == f"ORD-{year}-000002"


def test_coordinator_order_starts_open_and_is_audited(coordinator):
    order = new_order(coordinator, priority=OrderPriority.URGENT, note="برای بخش کووید")
    assert order.status == OrderStatus.OPEN
    assert order.priority == OrderPriority.URGENT
    assert order.created_by == coordinator
    assert audit_entries(order, "order.create").get().changes["status"] == [None, "open"]


def test_health_center_staff_order_starts_requested(db):
    staff = factories.HealthCenterStaffFactory()
    order = new_order(staff, center=staff.health_center)
    assert order.status == OrderStatus.REQUESTED


def test_staff_cannot_order_for_another_health_center(db):
    staff = factories.HealthCenterStaffFactory()
    with pytest.raises(PermissionDenied):
        new_order(staff, center=factories.HealthCenterFactory())
    assert not Order.objects.exists()


def test_coordinator_cannot_order_for_a_health_center_outside_her_provinces(coordinator):
    isfahan_center = factories.HealthCenterFactory(province=factories.province("isfahan"))
    with pytest.raises(PermissionDenied):
        new_order(coordinator, center=isfahan_center)


@pytest.mark.parametrize("role", ["workshop_owner", "donor"])
def test_owners_and_donors_cannot_create_orders(db, role):
    with pytest.raises(PermissionDenied):
        new_order(factories.UserFactory(role=role))


def test_budget_is_quantity_times_the_unit_cost_fixed_when_the_order_was_created(coordinator):
    order = new_order(coordinator, quantity=1000)
    assert order.budget_rials == 1000 * MASK_COST
    product = order.product
    product.unit_cost_rials = MASK_COST * 2
    product.save()
    order = Order.objects.get(pk=order.pk)
    assert order.budget_rials == 1000 * MASK_COST


# --- Lifecycle --------------------------------------------------------------------------------------------------


def test_coordinator_approves_a_requested_order_to_open(coordinator):
    staff = factories.HealthCenterStaffFactory()
    order = new_order(staff, center=staff.health_center)
    order = order_approve(order=order, actor=coordinator)
    assert order.status == OrderStatus.OPEN
    assert audit_entries(order, "order.approve").get().changes == {"status": ["requested", "open"]}


def test_an_open_order_cannot_be_approved_again(coordinator):
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    with pytest.raises(ValidationError, match="Only a requested order can be approved"):
        order_approve(order=order, actor=coordinator)


def test_coordinator_of_another_province_cannot_approve(other_coordinator):
    order = factories.OrderFactory(status=OrderStatus.REQUESTED)
    with pytest.raises(PermissionDenied):
        order_approve(order=order, actor=other_coordinator)
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_staff_cannot_approve_their_own_request(db):
    staff = factories.HealthCenterStaffFactory()
    order = new_order(staff, center=staff.health_center)
    with pytest.raises(PermissionDenied):
        order_approve(order=order, actor=staff)


def test_rejecting_a_request_cancels_it_with_the_reason(coordinator):
    order = factories.OrderFactory(status=OrderStatus.REQUESTED)
    order = order_reject(order=order, actor=coordinator, reason="تکراری است")
    assert order.status == OrderStatus.CANCELLED
    assert audit_entries(order, "order.cancel").get().note == "تکراری است"


def test_only_a_requested_order_can_be_rejected(coordinator):
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    with pytest.raises(ValidationError, match="cancel it instead"):
        order_reject(order=order, actor=coordinator, reason="x")


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (OrderStatus.REQUESTED, OrderStatus.FUNDED),
        (OrderStatus.OPEN, OrderStatus.IN_PRODUCTION),
        (OrderStatus.OPEN, OrderStatus.DELIVERED),
        (OrderStatus.FUNDED, OrderStatus.OPEN),
        (OrderStatus.DELIVERED, OrderStatus.IN_PRODUCTION),
        (OrderStatus.CLOSED, OrderStatus.OPEN),
    ],
)
def test_transitions_outside_the_lifecycle_are_refused(coordinator, start, target):
    order = factories.OrderFactory(status=start)
    with pytest.raises(ValidationError, match="An order cannot go from"):
        order_set_status(order=order, status=target, actor=coordinator)
    order.refresh_from_db()
    assert order.status == start


def test_every_state_but_closed_and_cancelled_can_be_cancelled():
    final = {OrderStatus.CLOSED, OrderStatus.CANCELLED}
    for status, targets in ALLOWED_TRANSITIONS.items():
        assert (OrderStatus.CANCELLED in targets) == (status not in final)


def test_close_only_from_delivered(coordinator):
    delivered = factories.OrderFactory(status=OrderStatus.DELIVERED)
    assert order_close(order=delivered, actor=coordinator).status == OrderStatus.CLOSED
    in_production = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION)
    with pytest.raises(ValidationError, match="Only a delivered order can be closed"):
        order_close(order=in_production, actor=coordinator)


def test_closed_and_cancelled_orders_cannot_be_cancelled(coordinator):
    for status in (OrderStatus.CLOSED, OrderStatus.CANCELLED):
        order = factories.OrderFactory(status=status)
        with pytest.raises(ValidationError, match="An order cannot go from"):
            order_cancel(order=order, actor=coordinator, reason="دیگر لازم نیست")


def test_cancelling_requires_a_reason(coordinator):
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    with pytest.raises(ValidationError, match="Give a reason"):
        order_cancel(order=order, actor=coordinator, reason="   ")
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN


def test_cancelling_cancels_open_quotas_and_workshops_keep_their_produced_units(coordinator):
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION)
    offered = factories.QuotaFactory(order=order, status=QuotaStatus.OFFERED, responded_at=None)
    half_done = factories.QuotaFactory(order=order, produced_units=40)
    finished = factories.QuotaFactory(order=order, quantity=50, produced_units=50)
    declined = factories.QuotaFactory(order=order, status=QuotaStatus.DECLINED, decline_reason="خراب")
    order_cancel(order=order, actor=coordinator, reason="نیاز برطرف شد")
    for quota in (offered, half_done, finished, declined):
        quota.refresh_from_db()
    assert offered.status == QuotaStatus.CANCELLED
    assert half_done.status == QuotaStatus.CANCELLED
    assert half_done.produced_units == 40
    assert half_done.cancel_reason == "نیاز برطرف شد"
    assert finished.status == QuotaStatus.ACCEPTED
    assert declined.status == QuotaStatus.DECLINED
    assert audit_entries(half_done, "quota.cancel").get().changes == {"status": ["accepted", "cancelled"]}
    entry = audit_entries(order, "order.cancel").get()
    assert entry.changes == {"status": ["in_production", "cancelled"], "quotas_cancelled": [None, 2]}


def test_accepting_the_first_quota_puts_a_funded_order_in_production(coordinator):
    order = funded_order(coordinator)
    quota = factories.QuotaFactory(order=order, status=QuotaStatus.OFFERED, responded_at=None)
    quota_accept(quota=quota, owner=quota.workshop.owner)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION
    assert audit_entries(order, "order.in_production").get().actor == quota.workshop.owner


def test_marking_in_production_does_nothing_without_an_accepted_quota(coordinator):
    order = funded_order(coordinator)
    factories.QuotaFactory(order=order, status=QuotaStatus.OFFERED, responded_at=None)
    assert order_mark_in_production_if_needed(order).status == OrderStatus.FUNDED


def test_marking_in_production_leaves_other_states_alone(db):
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    factories.QuotaFactory(order=order)
    assert order_mark_in_production_if_needed(order).status == OrderStatus.OPEN


# --- Confirmed funds --------------------------------------------------------------------------------------------


def test_first_money_confirmed_in_the_ledger_moves_an_open_order_to_funded(coordinator):
    order = factories.OrderFactory(status=OrderStatus.OPEN, quantity=1000)
    order = confirm_payment(order, 6_000_000, coordinator)
    assert order.status == OrderStatus.FUNDED
    assert confirmed_funds_rials(order) == 6_000_000
    entry = audit_entries(order, "order.funded").get()
    assert entry.changes == {"status": ["open", "funded"]}
    assert entry.actor == coordinator


def test_confirmed_funds_add_up(coordinator):
    order = funded_order(coordinator, amount=6_000_000)
    order = confirm_payment(order, 3_000_000, coordinator)
    assert confirmed_funds_rials(order) == 9_000_000
    assert order.status == OrderStatus.FUNDED
    assert audit_entries(order, "order.funded").count() == 1


def test_money_above_the_budget_is_refused_with_the_remaining_gap(coordinator):
    order = funded_order(coordinator, amount=50_000_000, quantity=1000)  # budget 60,000,000
    with pytest.raises(ValidationError) as error:
        confirm_payment(order, 10_000_001, coordinator)
    assert "only 10,000,000 rials are missing" in messages_of(error)
    assert confirmed_funds_rials(order) == 50_000_000


def test_the_gap_message_uses_persian_digits_in_persian(coordinator):
    order = funded_order(coordinator, amount=50_000_000, quantity=1000)
    with translation.override("fa"), pytest.raises(ValidationError) as error:
        confirm_payment(order, 20_000_000, coordinator)
    assert "۱۰٬۰۰۰٬۰۰۰" in messages_of(error)


def test_a_fully_funded_order_takes_no_more_money(coordinator):
    order = funded_order(coordinator)
    with pytest.raises(ValidationError, match="already fully funded"):
        confirm_payment(order, 1, coordinator)


def test_money_cannot_be_pledged_before_approval_or_after_cancellation(coordinator):
    for status in (OrderStatus.REQUESTED, OrderStatus.CANCELLED):
        order = factories.OrderFactory(status=status)
        with pytest.raises(ValidationError, match="not open for funding"):
            pledge_create(donor=factories.DonorFactory(), order=order, amount_rials=1000)


def test_coordinator_of_another_province_cannot_confirm_money_for_an_order(other_coordinator):
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    with pytest.raises(PermissionDenied):
        confirm_payment(order, 1000, other_coordinator)
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert confirmed_funds_rials(order) == 0


def test_confirmed_funds_are_read_from_the_ledger_so_a_refund_lowers_them(coordinator):
    order = funded_order(coordinator, amount=MASK_COST * 500, quantity=1000)
    pledge = order.pledges.get()
    pledge_refund(pledge=pledge, amount=MASK_COST * 100, actor=coordinator, reason="بازگشت به خیر")
    assert confirmed_funds_rials(order) == MASK_COST * 400
    assert releasable_units(order) == 400
    listed = funding.with_funding(Order.objects.filter(pk=order.pk)).get()
    assert (listed.confirmed_funds, listed.releasable) == (MASK_COST * 400, 400)


def test_releasable_units_are_the_confirmed_funds_divided_by_the_unit_cost_rounded_down(coordinator):
    order = funded_order(coordinator, amount=MASK_COST * 100 + MASK_COST - 1, quantity=1000)
    assert releasable_units(order) == 100
    assert funded_percent(order) == 10
    assert is_partly_funded(order)
    assert not is_fully_funded(order)


def test_fully_funded_order_releases_its_whole_quantity(coordinator):
    order = funded_order(coordinator, quantity=1000)
    assert releasable_units(order) == 1000
    assert funded_percent(order) == 100
    assert is_fully_funded(order)
    assert not is_partly_funded(order)


def test_unallocated_releasable_units_subtract_offered_and_accepted_quotas_only(coordinator):
    order = funded_order(coordinator, amount=MASK_COST * 500, quantity=1000)
    factories.QuotaFactory(order=order, quantity=100)
    factories.QuotaFactory(order=order, quantity=50, status=QuotaStatus.OFFERED, responded_at=None)
    factories.QuotaFactory(order=order, quantity=70, status=QuotaStatus.DECLINED, decline_reason="x")
    factories.QuotaFactory(order=order, quantity=30, status=QuotaStatus.CANCELLED)
    assert allocated_units(order) == 150
    assert unallocated_releasable_units(order) == 350


def test_unallocated_releasable_units_never_go_below_zero(coordinator):
    order = funded_order(coordinator, amount=MASK_COST * 10, quantity=1000)
    factories.QuotaFactory(order=order, quantity=100)
    assert unallocated_releasable_units(order) == 0


def test_every_reader_goes_through_the_confirmed_funds_seam(coordinator, monkeypatch):
    order = factories.OrderFactory(status=OrderStatus.OPEN, quantity=1000)
    assert confirmed_funds_rials(order) == 0
    monkeypatch.setattr(funding, "confirmed_funds_rials", lambda order: MASK_COST * 250)
    assert releasable_units(order) == 250
    assert funded_percent(order) == 25
    assert funding.remaining_gap_rials(order) == MASK_COST * 750
    assert unallocated_releasable_units(order) == 250
    assert funding.funding_of(order).gap_rials == MASK_COST * 750


# --- Extending --------------------------------------------------------------------------------------------------


def test_extending_moves_open_quotas_to_the_new_date_minus_the_lead_time(coordinator, settings):
    settings.HAMDELI_DELIVERY_LEAD_DAYS = 3
    today = timezone.localdate()
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, needed_by=today - dt.timedelta(days=2))
    old_due = today - dt.timedelta(days=4)
    running = factories.QuotaFactory(order=order, due_date=old_due, produced_units=10)
    offered = factories.QuotaFactory(order=order, due_date=old_due, status=QuotaStatus.OFFERED, responded_at=None)
    finished = factories.QuotaFactory(order=order, due_date=old_due, quantity=20, produced_units=20)
    new_date = today + dt.timedelta(days=15)
    order = order_extend(order=order, needed_by=new_date, actor=coordinator, reason="پارچه دیر رسید")
    assert order.needed_by == new_date
    for quota in (running, offered, finished):
        quota.refresh_from_db()
    assert running.due_date == offered.due_date == today + dt.timedelta(days=12)
    assert finished.due_date == old_due
    entry = audit_entries(order, "order.extend").get()
    assert entry.changes["needed_by"] == [(today - dt.timedelta(days=2)).isoformat(), new_date.isoformat()]
    assert entry.changes["quotas_moved"] == [None, 2]
    assert entry.note == "پارچه دیر رسید"
    assert audit_entries(running, "quota.due_date").get().changes == {
        "due_date": [old_due.isoformat(), (today + dt.timedelta(days=12)).isoformat()]
    }


def test_a_quota_due_date_never_falls_before_today(coordinator):
    today = timezone.localdate()
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, needed_by=today - dt.timedelta(days=1))
    quota = factories.QuotaFactory(order=order, due_date=today - dt.timedelta(days=3))
    order_extend(order=order, needed_by=today + dt.timedelta(days=1), actor=coordinator, reason="یک روز")
    quota.refresh_from_db()
    assert quota.due_date == today


@pytest.mark.parametrize("days", [0, -3])
def test_the_new_date_must_be_in_the_future(coordinator, days):
    today = timezone.localdate()
    order = factories.OrderFactory(needed_by=today - dt.timedelta(days=10))
    with pytest.raises(ValidationError, match="must be in the future"):
        order_extend(order=order, needed_by=today + dt.timedelta(days=days), actor=coordinator, reason="x")


def test_the_new_date_must_be_later_than_the_current_one(coordinator):
    order = factories.OrderFactory(needed_by=timezone.localdate() + dt.timedelta(days=20))
    with pytest.raises(ValidationError, match="later than the current"):
        order_extend(order=order, needed_by=timezone.localdate() + dt.timedelta(days=10), actor=coordinator, reason="x")


def test_extending_requires_a_reason(coordinator):
    order = factories.OrderFactory()
    with pytest.raises(ValidationError, match="Give a reason"):
        order_extend(order=order, needed_by=order.needed_by + dt.timedelta(days=5), actor=coordinator, reason="")


@pytest.mark.parametrize("status", [OrderStatus.DELIVERED, OrderStatus.CLOSED, OrderStatus.CANCELLED])
def test_delivered_closed_and_cancelled_orders_cannot_be_extended(coordinator, status):
    order = factories.OrderFactory(status=status)
    with pytest.raises(ValidationError, match="cannot be extended"):
        order_extend(order=order, needed_by=order.needed_by + dt.timedelta(days=5), actor=coordinator, reason="x")


def test_coordinator_of_another_province_cannot_extend_or_cancel(other_coordinator):
    order = factories.OrderFactory()
    with pytest.raises(PermissionDenied):
        order_extend(order=order, needed_by=order.needed_by + dt.timedelta(days=5), actor=other_coordinator, reason="x")
    with pytest.raises(PermissionDenied):
        order_cancel(order=order, actor=other_coordinator, reason="x")
