from django.core.management import call_command

from core.models import HealthCenter, User
from donors.models import Pledge
from orders.models import Order, OrderStatus
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


def test_seed_demo_twice_changes_nothing(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Workshop.objects.count(), Order.objects.count(), Pledge.objects.count())
    call_command("seed_demo")
    assert counts == (User.objects.count(), Workshop.objects.count(), Order.objects.count(), Pledge.objects.count())
    assert "09120000001" in capsys.readouterr().out  # prints the demo logins
