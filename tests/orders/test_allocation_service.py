"""The allocation engine against the database: preview, commit, re-runs, releases, reasons, command, task."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.models import OrderPriority
from production.allocation_report import summarize, unmet_sentence
from production.models import AllocationRun, AllocationRunStatus, Quota, QuotaStatus
from production.services.allocation import allocation_commit, allocation_preview
from production.tasks import run_allocation
from workshops.models import WorkshopStatus

from .. import factories

TODAY = timezone.localdate()


def test_a_preview_shows_the_plan_and_writes_nothing(db):
    order = factories.funded_order(units=300)
    workshop = factories.maker(rate=50)
    result = allocation_preview(provinces=None)
    assert [(a.order_id, a.workshop_id, a.units) for a in result.plan.allocations] == [(order.pk, workshop.pk, 300)]
    assert not Quota.objects.exists()


def test_a_commit_offers_the_quotas_due_before_the_order_is_needed(db, coordinator):
    order = factories.funded_order(units=300)
    workshop = factories.maker(rate=50)
    result = allocation_commit(actor=coordinator, provinces=None)
    quota = Quota.objects.get()
    assert (quota.order, quota.workshop, quota.quantity, quota.status) == (order, workshop, 300, QuotaStatus.OFFERED)
    assert quota.due_date == order.needed_by - dt.timedelta(days=2)
    assert quota.piece_rate_rials == order.product.piece_rate_rials
    assert result.quotas == [quota]


def test_running_the_allocation_twice_does_not_allocate_the_same_units_twice(db, coordinator):
    factories.funded_order(units=300)
    factories.maker(rate=50)
    allocation_commit(actor=coordinator, provinces=None)
    second = allocation_commit(actor=coordinator, provinces=None)
    assert second.plan.allocations == ()
    assert sum(Quota.objects.values_list("quantity", flat=True)) == 300


def test_only_the_funded_part_of_an_order_is_allocated(db, coordinator):
    unit_cost = factories.product().unit_cost_rials
    factories.funded_order(units=1000, funds=unit_cost * 250 + unit_cost // 2)  # 250.5 units paid
    factories.maker(rate=200)
    allocation_commit(actor=coordinator, provinces=None)
    assert sum(Quota.objects.values_list("quantity", flat=True)) == 250


def test_a_declined_quota_is_offered_again_by_the_next_run(db, coordinator):
    order = factories.funded_order(units=300)
    first = factories.maker(rate=50)
    allocation_commit(actor=coordinator, provinces=None)
    quota = Quota.objects.get()
    quota.status, quota.decline_reason = QuotaStatus.DECLINED, "نمی‌توانم"
    quota.save()
    second_maker = factories.maker(rate=50)
    first.status = WorkshopStatus.SUSPENDED
    first.save()
    allocation_commit(actor=coordinator, provinces=None)
    offered = Quota.objects.get(status=QuotaStatus.OFFERED)
    assert (offered.order, offered.workshop, offered.quantity) == (order, second_maker, 300)


def test_a_quota_far_behind_pace_gives_its_remainder_to_another_workshop(db, coordinator):
    order = factories.funded_order(units=120, days=40)
    late = factories.quota_far_behind_pace(order)
    factories.maker(rate=50)
    result = allocation_commit(actor=coordinator, provinces=None)
    late.refresh_from_db()
    assert late.released_units == 110
    assert late.status == QuotaStatus.ACCEPTED
    assert [release.quota.pk for release in result.releases] == [late.pk]
    assert Quota.objects.get(status=QuotaStatus.OFFERED).quantity == 110


def test_suspended_and_pending_workshops_get_nothing(db, coordinator):
    factories.funded_order(units=100)
    factories.maker(rate=50, status=WorkshopStatus.SUSPENDED)
    factories.maker(rate=50, status=WorkshopStatus.PENDING)
    result = allocation_commit(actor=coordinator, provinces=None)
    assert not Quota.objects.exists()
    (unmet,) = result.plan.unmet
    assert unmet.units == 100


def test_unmet_units_come_with_a_reason_a_coordinator_can_act_on(db, settings):
    factories.funded_order(units=100, product_code="isolation-gown", province="kerman")
    result = allocation_preview(provinces=None)
    (unmet,) = result.plan.unmet
    sentence = unmet_sentence(unmet.reason, dict(unmet.params))
    assert "گان ایزوله" in sentence
    assert "کارگاه" in sentence


def test_urgent_orders_are_served_first_when_capacity_is_short(db, coordinator):
    urgent = factories.funded_order(units=200, days=10, priority=OrderPriority.URGENT)
    normal = factories.funded_order(units=200, days=10, priority=OrderPriority.NORMAL)
    factories.maker(rate=25)  # about 7 working days before the due date: room for ~175 units
    result = allocation_preview(provinces=None)
    allocated = {a.order_id: a.units for a in result.plan.allocations}
    assert allocated.get(urgent.pk, 0) > allocated.get(normal.pk, 0)


def test_orders_already_past_their_due_date_are_left_for_the_coordinator(db):
    order = factories.funded_order(units=100, days=1)
    factories.maker(rate=50)
    summary = summarize(allocation_preview(provinces=None))
    (item,) = summary["orders"]
    assert item["number"] == order.number
    assert item["unmet_reason"] == "STALE"


def test_scope_limits_the_orders_but_not_the_workshops(db, coordinator):
    factories.funded_order(units=100, province="tehran")
    isfahan_order = factories.funded_order(units=100, province="isfahan")
    factories.maker(rate=50, province="isfahan")
    result = allocation_preview(provinces=[factories.province("isfahan")])
    assert {a.order_id for a in result.plan.allocations} == {isfahan_order.pk}


def test_the_allocate_command_previews_with_dry_run_and_writes_without(db, capsys):
    factories.funded_order(units=100)
    factories.maker(rate=50)
    call_command("allocate", "--dry-run", "--province", "tehran")
    assert "100" in capsys.readouterr().out
    assert not Quota.objects.exists()
    call_command("allocate", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["totals"]["allocated_units"] == 100
    assert Quota.objects.count() == 1


def test_the_allocate_command_refuses_an_unknown_province(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="atlantis"):
        call_command("allocate", "--province", "atlantis")


def test_the_allocation_task_records_its_result_and_ignores_a_second_delivery(db, coordinator):
    factories.funded_order(units=100)
    factories.maker(rate=50)
    run = AllocationRun.objects.create(created_by=coordinator, dry_run=False)
    run_allocation(run.pk)
    run_allocation(run.pk)  # the broker delivered it twice
    run.refresh_from_db()
    assert run.status == AllocationRunStatus.DONE
    assert run.result["totals"]["allocated_units"] == 100
    assert Quota.objects.count() == 1
