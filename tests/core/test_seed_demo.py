from django.core.management import call_command

from core.models import HealthCenter, User
from donors.ledger.selectors import ledger_problems
from donors.models import Pledge
from fulfilment.models import Delivery, DeliveryStatus, PickupLine
from orders.models import Order, OrderStatus
from payouts.models import PayoutBatch, PayoutBatchStatus
from workshops.models import Workshop, WorkshopCapacity


def test_seed_demo_builds_a_world_with_something_on_every_page(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert Workshop.objects.count() == 30
    assert WorkshopCapacity.objects.count() >= 30
    assert HealthCenter.objects.count() >= 10
    assert set(Order.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    assert Pledge.objects.count() > 0
    assert User.objects.filter(is_demo=True, mobile="09120000001", is_national=True).exists()
    # Goods on the move: a pickup with rejected units, deliveries in each state a coordinator meets, a paid batch.
    assert PickupLine.objects.filter(rejected_units__gt=0).exists()
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert {DeliveryStatus.PLANNED, DeliveryStatus.CONFIRMED, DeliveryStatus.DISPUTED} <= statuses
    assert PayoutBatch.objects.filter(status=PayoutBatchStatus.PAID).exists()
    staff = User.objects.get(mobile="09123000001")
    assert Delivery.objects.filter(health_center=staff.health_center).exists()
    assert ledger_problems() == []


def test_seed_demo_twice_changes_nothing(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Workshop.objects.count(), Order.objects.count(), Pledge.objects.count())
    call_command("seed_demo")
    assert counts == (User.objects.count(), Workshop.objects.count(), Order.objects.count(), Pledge.objects.count())
    assert "09120000001" in capsys.readouterr().out  # prints the demo logins
