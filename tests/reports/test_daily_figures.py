"""The stored daily figures: equal to the raw rows after every service that changes them, rebuilt by a command,
checked by ``integrity_check``, and read by the dashboard with the same rows as the old computation from raw rows."""

import datetime as dt
import random
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, Sum

from core.signals import figures_changed
from donors.models import Pledge
from donors.services.funds import payout_record
from donors.services.pledges import pledge_refund
from fulfilment.services.collection import PickupLineInput, pickup_record
from fulfilment.services.deliveries import delivery_create, delivery_dispatch
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from orders.models import OrderStatus
from orders.services import order_set_status
from production.models import Quota, QuotaStatus
from production.services.allocation import allocation_commit
from production.services.quotas import output_report
from reports import daily_tracking
from reports.daily_figures import DAILY_FIGURES, Days, _stored, integrity_problems, rebuild, recompute
from reports.dashboard import figure_rows
from reports.models import DailyActivity, DailyFigure
from reports.periods import DashboardPeriod
from tests import factories
from tests.reports.raw_dashboard import raw_figure_rows
from tests.reports.test_dashboard import at, days_ago, in_the_past
from workshops.models import WorkshopCapacity

TODAY = days_ago(0)


@pytest.fixture(autouse=True)
def _nothing_pending(db):
    """Days marked by an earlier test's (rolled back) transaction would be recomputed by the next read and could
    hide a path that forgot to mark its own."""
    setattr(connection, daily_tracking.PENDING, None)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(service, **kwargs)``: run a service as if its transaction committed (its after-commit
    recomputation of the daily figures runs)."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def stored_equals_raw() -> bool:
    """The stored rows, without reading anything first (``integrity_problems`` would store pending days)."""
    figures, activity = recompute(Days())
    stored, stored_activity = _stored()
    expected = {key: tuple(values[name] for name in DAILY_FIGURES) for key, values in figures.items()}
    assert stored == expected
    assert stored_activity == activity
    return True


def stored(figure: str, day: dt.date = TODAY) -> int:
    return DailyFigure.objects.filter(day=day).aggregate(total=Sum(figure))["total"] or 0


def report(quota: Quota, quantity: int, day: dt.date) -> None:
    output_report(
        quota=quota, owner=quota.workshop.owner, quantity=quantity, report_date=day, idempotency_key=uuid.uuid4()
    )


@pytest.fixture
def line(national_coordinator):
    """A funded Tehran order, an accepted quota with output 20 days ago, everything stored."""
    order = factories.fund_order(factories.OrderFactory(quantity=400, status=OrderStatus.OPEN))
    workshop = factories.WorkshopFactory()
    quota = factories.QuotaFactory(order=order, workshop=workshop, quantity=200, responded_at=at(days_ago(30)))
    report(quota, 50, days_ago(20))
    rebuild()
    quota.refresh_from_db()
    return {"order": order, "quota": quota, "actor": national_coordinator}


# --- Each path that changes a figure keeps it equal to the raw rows -------------------------------------------


def test_an_output_report_updates_produced_units_and_activity_of_its_day(line, committed):
    committed(
        output_report,
        quota=line["quota"],
        owner=line["quota"].workshop.owner,
        quantity=7,
        report_date=days_ago(3),
        idempotency_key=uuid.uuid4(),
    )
    assert stored("produced_units", days_ago(3)) == 7
    assert DailyActivity.objects.filter(day=days_ago(3), workshop=line["quota"].workshop).exists()
    assert stored_equals_raw()
    # The second workshop's quota commits on its own (its offer is today's allocated units).
    other = committed(factories.QuotaFactory, order=line["order"], quantity=20, responded_at=at(days_ago(30)))
    for quota, units in ((line["quota"], 3), (other, 4)):  # the same day's row again, and a second workshop
        committed(report, quota=quota, quantity=units, day=days_ago(3))
    assert stored("produced_units", days_ago(3)) == 14
    assert DailyActivity.objects.filter(day=days_ago(3)).count() == 2
    assert stored_equals_raw()


def test_a_pickup_updates_accepted_units(line, committed):
    pickup = PickupLineInput(
        quota=line["quota"], collected_units=30, accepted_units=28, rejected_units=2, reject_reason="stitching"
    )
    committed(
        pickup_record, workshop=line["quota"].workshop, pickup_date=days_ago(1), lines=[pickup], actor=line["actor"]
    )
    assert stored("accepted_units", days_ago(1)) == 28
    assert stored_equals_raw()


def _collected(line, committed, units=30):
    pickup = PickupLineInput(quota=line["quota"], collected_units=units, accepted_units=units, rejected_units=0)
    committed(pickup_record, workshop=line["quota"].workshop, pickup_date=TODAY, lines=[pickup], actor=line["actor"])
    line["quota"].refresh_from_db()


def test_dispatching_and_confirming_a_delivery_update_delivered_and_confirmed_units(line, committed):
    _collected(line, committed)
    center = line["order"].health_center
    delivery = committed(
        delivery_create,
        health_center=center,
        planned_date=TODAY,
        lines=[(line["quota"], 20)],
        actor=line["actor"],
        courier_name="علی",
    )
    assert stored("delivered_units") == 0  # planned: it has not left
    committed(delivery_dispatch, delivery=delivery, actor=line["actor"])
    assert stored("delivered_units") == 20
    assert stored_equals_raw()
    received = {delivery.lines.get().pk: ReceivedLine(20, rejected_units=1, reject_reason="پاره")}
    committed(delivery_confirm, delivery=delivery, lines=received, receiver_name="پرستار")
    assert stored("confirmed_units") == 19
    assert stored_equals_raw()


def test_a_donation_and_a_refund_update_funded_rials_and_releasable_units(line, committed):
    order = factories.OrderFactory(quantity=100, status=OrderStatus.OPEN)
    rebuild()
    rials, units = stored("funded_rials"), stored("releasable_units")
    committed(factories.fund_order, order=order, amount_rials=30 * order.unit_cost_rials)
    assert (stored("funded_rials") - rials, stored("releasable_units") - units) == (30 * order.unit_cost_rials, 30)
    pledge = Pledge.objects.get(order=order)
    committed(pledge_refund, pledge=pledge, amount=10 * order.unit_cost_rials, actor=line["actor"], reason="برگشت")
    assert (stored("funded_rials") - rials, stored("releasable_units") - units) == (20 * order.unit_cost_rials, 20)
    assert stored_equals_raw()


def test_money_given_on_an_earlier_day_recomputes_the_later_days_releasable_units(line, committed):
    order = factories.OrderFactory(quantity=100, status=OrderStatus.OPEN)
    units = stored("releasable_units")
    half = order.unit_cost_rials // 2
    committed(factories.fund_order, order=order, amount_rials=85 * order.unit_cost_rials + half)
    with in_the_past(days_ago(5)):
        committed(factories.fund_order, order=order, amount_rials=order.unit_cost_rials - half)
    # Half a unit five days ago pays for nothing yet; today's money completes it: 86 units today (85 before).
    assert stored("releasable_units", days_ago(5)) == 0
    assert stored("releasable_units") - units == 86
    assert stored_equals_raw()


def test_a_payout_updates_income_paid(line, committed):
    _collected(line, committed)
    entry = committed(payout_record, quota=line["quota"], units=10, actor=line["actor"])
    assert stored("income_paid_rials") == entry.amount_rials > 0
    assert stored_equals_raw()


def test_an_allocation_run_updates_allocated_units(db, national_coordinator, committed):
    order = factories.fund_order(factories.OrderFactory(quantity=300, status=OrderStatus.FUNDED))
    workshop = factories.WorkshopFactory()
    WorkshopCapacity.objects.create(workshop=workshop, product=order.product, units_per_day=50)
    rebuild()
    committed(allocation_commit, actor=national_coordinator, provinces=None)
    assert Quota.objects.filter(order=order).exists()
    assert stored("allocated_units") == 300
    assert stored_equals_raw()


def test_cancelling_an_order_takes_its_demand_away(line, committed):
    order = factories.OrderFactory(quantity=60, status=OrderStatus.OPEN)
    rebuild()
    assert stored("demand_units") == 400 + 60
    committed(order_set_status, order=order, status=OrderStatus.CANCELLED, actor=line["actor"], reason="تکراری")
    assert stored("demand_units") == 400
    assert stored_equals_raw()


def test_a_workshop_becoming_woman_headed_moves_its_activity(line, committed):
    workshop = line["quota"].workshop
    workshop.is_woman_head_of_household = not workshop.is_woman_head_of_household

    def save():
        workshop.save()

    committed(save)
    assert DailyActivity.objects.get(workshop=workshop).is_woman_headed == workshop.is_woman_head_of_household
    assert stored_equals_raw()


def test_a_bulk_write_announced_by_figures_changed_is_recomputed(line, committed):
    quota = line["quota"]
    Quota.objects.bulk_create(
        [Quota(order=quota.order, workshop=quota.workshop, quantity=5, due_date=quota.due_date, piece_rate_rials=1)]
    )

    def announce():
        figures_changed.send(sender=Quota, days={TODAY})

    committed(announce)
    assert stored_equals_raw()


# --- Rebuild and integrity_check ------------------------------------------------------------------------------


def test_the_rebuild_command_restores_figures_changed_behind_its_back(line, capsys):
    DailyFigure.objects.update(produced_units=F("produced_units") + 1)
    DailyActivity.objects.all().delete()
    call_command("rebuild_daily_figures")
    assert "rebuilt" in capsys.readouterr().out
    assert stored_equals_raw()
    call_command("rebuild_daily_figures", "--since", days_ago(1).isoformat())
    assert stored_equals_raw()


def test_integrity_check_passes_on_a_clean_world_and_names_a_tampered_figure(line, capsys):
    call_command("integrity_check")
    assert "Integrity OK" in capsys.readouterr().out
    DailyFigure.objects.filter(day=days_ago(20)).update(produced_units=F("produced_units") + 3)
    with pytest.raises(CommandError):
        call_command("integrity_check")
    err = capsys.readouterr().err
    assert f"daily figures of {days_ago(20)}" in err
    assert "produced_units is 53, the raw rows give 50" in err
    assert "rebuild_daily_figures" in err
    assert integrity_problems()  # and the function says so too


# --- The dashboard reads the same rows as the old computation from raw rows ------------------------------------


def _try(service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError:
        return None  # a random step the services refuse (more than is left, ...) is just not taken


def random_world(rng: random.Random, actor) -> None:
    """Orders, money (in any order of days, some refunded), quotas of every status, output, pickups, deliveries
    and payouts, on random days of the last 70, in two provinces and two products."""
    provinces = [factories.province("tehran"), factories.province("isfahan")]
    products = [factories.product("surgical-mask-3ply"), factories.product("isolation-gown")]
    centers = [factories.HealthCenterFactory(province=province) for province in provinces]
    workshops = [
        factories.WorkshopFactory(province=rng.choice(provinces), is_woman_head_of_household=rng.random() < 0.5)
        for _ in range(5)
    ]

    def some_day():
        return days_ago(rng.randint(0, 70))

    quotas = []
    for _ in range(8):
        with in_the_past(some_day()):
            order = factories.OrderFactory(
                health_center=rng.choice(centers),
                product=rng.choice(products),
                quantity=rng.choice([40, 120, 300]),
                status=rng.choice([OrderStatus.OPEN, OrderStatus.OPEN, OrderStatus.CANCELLED]),
            )
        for _ in range(rng.randint(0, 3)):
            with in_the_past(some_day()):
                factories.fund_order(
                    order, rng.randint(1, order.quantity // 2) * order.unit_cost_rials + rng.randint(0, 9)
                )
        for pledge in Pledge.objects.filter(order=order, status__in=("received",))[:1]:
            if rng.random() < 0.4:
                _try(pledge_refund, pledge=pledge, amount=order.unit_cost_rials, actor=actor, reason="برگشت")
        status = rng.choice([QuotaStatus.ACCEPTED, QuotaStatus.ACCEPTED, QuotaStatus.DECLINED, QuotaStatus.OFFERED])
        with in_the_past(some_day()):
            extra = {"decline_reason": "سرم شلوغ است"} if status == QuotaStatus.DECLINED else {}
            quota = factories.QuotaFactory(
                order=order,
                workshop=rng.choice(workshops),
                quantity=30,
                status=status,
                responded_at=at(days_ago(75)),
                **extra,
            )
        if status == QuotaStatus.ACCEPTED:
            quotas.append(quota)
    for quota in quotas:
        for _ in range(rng.randint(0, 3)):
            _try(report, quota=quota, quantity=rng.randint(1, 8), day=some_day())
        quota.refresh_from_db()
        if quota.produced_units:
            units = rng.randint(1, quota.produced_units)
            pickup = PickupLineInput(quota=quota, collected_units=units, accepted_units=units, rejected_units=0)
            _try(pickup_record, workshop=quota.workshop, pickup_date=some_day(), lines=[pickup], actor=actor)
            quota.refresh_from_db()
        if quota.accepted_units:
            delivery = _try(
                delivery_create,
                health_center=quota.order.health_center,
                planned_date=TODAY,
                lines=[(quota, quota.accepted_units)],
                actor=actor,
                courier_name="علی",
            )
            if delivery and rng.random() < 0.7:
                with in_the_past(some_day()):
                    _try(delivery_dispatch, delivery=delivery, actor=actor)
                if rng.random() < 0.6:
                    units = quota.accepted_units
                    rejected = rng.randint(0, 1)
                    answer = ReceivedLine(units, rejected_units=rejected, reject_reason="پاره" if rejected else "")
                    received = {delivery.lines.get().pk: answer}
                    _try(delivery_confirm, delivery=delivery, lines=received, receiver_name="پرستار")
            _try(payout_record, quota=quota, units=rng.randint(1, quota.accepted_units), actor=actor)


def _as_dicts(rows) -> dict:
    return {
        row.key: {name: getattr(row, name) for name in DAILY_FIGURES}
        | {
            "workshops_active": row.workshops_active,
            "woman_headed_workshops_active": row.woman_headed_workshops_active,
        }
        for row in rows
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_dashboard_from_daily_figures_equals_the_old_computation_from_raw_rows(seed, national_coordinator):
    rng = random.Random(seed)
    random_world(rng, national_coordinator)
    tehran = factories.province("tehran")
    periods = [
        DashboardPeriod.default(),
        DashboardPeriod(days_ago(70), TODAY),
        DashboardPeriod(days_ago(45), days_ago(9)),
    ]
    periods += [DashboardPeriod.between(days_ago(rng.randint(0, 70)), days_ago(rng.randint(0, 70))) for _ in range(3)]
    for period in periods:
        for province in (None, tehran):
            provinces, products = figure_rows(user=national_coordinator, period=period, province=province)
            raw_provinces, raw_products = raw_figure_rows(user=national_coordinator, period=period, province=province)
            for new, old in (
                (_as_dicts(provinces), _as_dicts(raw_provinces.values())),
                (_as_dicts(products), _as_dicts(raw_products.values())),
            ):
                # The old computation also listed rows of nothing but money given before the period (all zeros).
                old = {key: row for key, row in old.items() if key in new or any(row.values())}
                assert new == old, (seed, period, province)
    assert stored_equals_raw()
