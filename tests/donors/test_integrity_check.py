"""``manage.py integrity_check``: counters against their evidence, deliveries answered consistently, the ledger.

The clean world is built through the services; each corruption is slipped in
with ``QuerySet.update()`` around them (only those the DB constraints allow).
"""

import uuid
from dataclasses import dataclass

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from donors.integrity import integrity_problems
from donors.models import EntryKind, LedgerEntry
from donors.services.funds import payout_record
from fulfilment.models import Delivery, DeliveryLine, DeliveryStatus, PickupLine, RejectReason
from fulfilment.services.collection import PickupLineInput, pickup_record
from fulfilment.services.deliveries import delivery_cancel, delivery_create, delivery_dispatch
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from production.models import Quota
from production.services.quotas import output_report

from .. import factories


@dataclass
class World:
    quota: Quota
    delivery: Delivery


def _clean_world(coordinator) -> World:
    """60 made, 60 collected (55 accepted, 5 rejected), 40 delivered and confirmed in full, 55 paid."""
    quota = factories.QuotaFactory()
    today = timezone.localdate()
    output_report(quota=quota, owner=quota.workshop.owner, quantity=60, idempotency_key=uuid.uuid4())
    pickup_record(
        workshop=quota.workshop,
        pickup_date=today,
        lines=[
            PickupLineInput(
                quota=quota,
                collected_units=60,
                accepted_units=55,
                rejected_units=5,
                reject_reason=RejectReason.STITCHING,
            )
        ],
        actor=coordinator,
    )
    delivery = delivery_create(
        health_center=quota.order.health_center,
        planned_date=today,
        lines=[(quota, 40)],
        actor=coordinator,
        courier_name="رضا محمدی",
    )
    delivery = delivery_dispatch(delivery=delivery, actor=coordinator)
    line = delivery.lines.get()
    delivery = delivery_confirm(
        delivery=delivery, lines={line.pk: ReceivedLine(received_units=40)}, receiver_name="زهرا کریمی"
    )
    factories.fund_order(quota.order)
    payout_record(quota=quota, units=55, actor=coordinator)
    quota.refresh_from_db()
    return World(quota=quota, delivery=delivery)


def _fails_with(capsys) -> str:
    with pytest.raises(CommandError, match=r"Integrity check found \d+ problem\(s\)"):
        call_command("integrity_check")
    return capsys.readouterr().err


def test_integrity_check_prints_a_one_line_summary_on_a_clean_world(coordinator, capsys):
    world = _clean_world(coordinator)
    assert world.delivery.status == DeliveryStatus.CONFIRMED
    assert integrity_problems() == []
    call_command("integrity_check")
    out = capsys.readouterr().out
    assert out.startswith(
        "Integrity OK: 1 quotas (produced 60, collected 60, accepted 55, delivered 40, paid 55 units)"
    )
    assert "1 deliveries, 2 ledger entries; money conserved." in out
    assert len(out.strip().splitlines()) == 1


def test_integrity_check_is_happy_with_an_empty_database(db, capsys):
    call_command("integrity_check")
    assert "Integrity OK: 0 quotas" in capsys.readouterr().out


def test_a_disputed_delivery_and_a_cancelled_one_are_consistent_too(coordinator):
    world = _clean_world(coordinator)
    today = timezone.localdate()
    center = world.quota.order.health_center
    short = delivery_create(
        health_center=center, planned_date=today, lines=[(world.quota, 10)], actor=coordinator, courier_name="پیک"
    )
    short = delivery_dispatch(delivery=short, actor=coordinator)
    delivery_confirm(
        delivery=short,
        lines={short.lines.get().pk: ReceivedLine(received_units=8)},
        receiver_name="زهرا کریمی",
    )
    cancelled = delivery_create(health_center=center, planned_date=today, lines=[(world.quota, 5)], actor=coordinator)
    delivery_cancel(delivery=cancelled, actor=coordinator, reason="Courier ill")
    assert integrity_problems() == []


def test_a_produced_counter_that_disagrees_with_the_output_reports_is_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    Quota.objects.filter(pk=world.quota.pk).update(produced_units=70)
    err = _fails_with(capsys)
    order = world.quota.order.number
    assert f"- Quota #{world.quota.pk} (order {order}, workshop «{world.quota.workshop.name}»)" in err
    assert "the counter says 70 units produced but its output reports add up to 60." in err


def test_accepted_units_that_disagree_with_the_pickup_lines_are_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    PickupLine.objects.filter(quota=world.quota).update(accepted_units=50, rejected_units=10)
    err = _fails_with(capsys)
    assert f"Quota #{world.quota.pk}" in err
    assert "the counter says 55 units accepted but its pickup lines accepted 50." in err
    assert "collected" not in err  # the collected total still matches


def test_a_delivered_counter_that_disagrees_with_the_delivery_lines_is_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    Quota.objects.filter(pk=world.quota.pk).update(delivered_units=F("delivered_units") - 10)
    err = _fails_with(capsys)
    assert "the counter says 30 units delivered but its lines on deliveries not cancelled hold 40." in err


def test_a_delivery_cancelled_around_the_services_leaves_its_units_counted_and_is_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    Delivery.objects.filter(pk=world.delivery.pk).update(status=DeliveryStatus.CANCELLED, cancel_reason="x")
    err = _fails_with(capsys)
    assert "the counter says 40 units delivered but its lines on deliveries not cancelled hold 0." in err
    assert (
        f"Delivery {world.delivery.code} is cancelled (not answered yet) but 1 of its lines have received counts."
    ) in err


def test_a_confirmed_delivery_with_a_shortfall_is_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    DeliveryLine.objects.filter(delivery=world.delivery).update(received_units=38)
    err = _fails_with(capsys)
    assert f"- Delivery {world.delivery.code} is confirmed but 1 of its 1 lines did not arrive complete" in err


def test_a_confirmed_delivery_with_rejected_units_is_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    DeliveryLine.objects.filter(delivery=world.delivery).update(rejected_units=3)
    err = _fails_with(capsys)
    assert f"Delivery {world.delivery.code} is confirmed but 1 of its 1 lines did not arrive complete" in err


def test_a_disputed_delivery_where_everything_arrived_is_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    Delivery.objects.filter(pk=world.delivery.pk).update(status=DeliveryStatus.DISPUTED)
    err = _fails_with(capsys)
    assert f"Delivery {world.delivery.code} is disputed but all its 1 lines arrived complete." in err


def test_a_disputed_delivery_with_an_unanswered_line_is_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    Delivery.objects.filter(pk=world.delivery.pk).update(status=DeliveryStatus.DISPUTED)
    DeliveryLine.objects.filter(delivery=world.delivery).update(received_units=None, rejected_units=None)
    err = _fails_with(capsys)
    assert f"Delivery {world.delivery.code} is disputed but 1 of its 1 lines have no answer." in err


def test_a_planned_delivery_with_received_counts_is_reported(coordinator, capsys):
    world = _clean_world(coordinator)
    planned = delivery_create(
        health_center=world.quota.order.health_center,
        planned_date=timezone.localdate(),
        lines=[(world.quota, 15)],
        actor=coordinator,
    )
    DeliveryLine.objects.filter(delivery=planned).update(received_units=15, rejected_units=0)
    err = _fails_with(capsys)
    assert f"Delivery {planned.code} is planned (not answered yet) but 1 of its lines have received counts." in err


def test_ledger_problems_are_part_of_the_integrity_check(coordinator, capsys):
    world = _clean_world(coordinator)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                kind=EntryKind.PAYOUT,
                amount_rials=1_000,
                from_order=world.quota.order,
                to_workshop=world.quota.workshop,
                quota=world.quota,
            )
        ]
    )
    err = _fails_with(capsys)
    assert f"Quota #{world.quota.pk}: payouts total" in err


def test_every_problem_is_listed_not_just_the_first(coordinator, capsys):
    world = _clean_world(coordinator)
    Quota.objects.filter(pk=world.quota.pk).update(produced_units=70)
    DeliveryLine.objects.filter(delivery=world.delivery).update(received_units=38)
    with pytest.raises(CommandError, match=r"found 2 problem\(s\)"):
        call_command("integrity_check")
    assert len(capsys.readouterr().err.strip().splitlines()) == 2


def test_the_check_runs_a_constant_number_of_queries_however_many_quotas_there_are(coordinator):
    _clean_world(coordinator)
    with CaptureQueriesContext(connection) as one_world:
        integrity_problems()
    _clean_world(coordinator)
    _clean_world(coordinator)
    with CaptureQueriesContext(connection) as three_worlds:
        integrity_problems()
    assert len(three_worlds) == len(one_world)


def test_integrity_check_exits_non_zero_from_the_command_line(coordinator):
    world = _clean_world(coordinator)
    DeliveryLine.objects.filter(delivery=world.delivery).update(received_units=1)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "integrity_check"]).execute()
    assert exited.value.code == 1
