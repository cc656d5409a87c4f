"""The benchmark world builder (bench/world.py) makes data the integrity checks accept, and the bench URLs answer."""

import pytest

from bench import world
from donors.integrity import integrity_problems
from fulfilment.models import Delivery, DeliveryStatus
from production.models import OutputReport, Quota


@pytest.fixture
def tiny_world():
    actors = world.ensure_actors()
    world.grow_world(workshops=30, orders=8, reports=300, deliveries=12, batch=1, actors=actors)
    return actors


@pytest.mark.django_db
def test_a_tiny_benchmark_world_passes_the_integrity_check(tiny_world):
    assert OutputReport.objects.count() == 300
    assert {d.status for d in Delivery.objects.all()} == set(DeliveryStatus.values)
    assert integrity_problems() == []


@pytest.mark.django_db
def test_growing_the_benchmark_world_keeps_it_consistent_and_gives_the_measured_owner_more_quotas(tiny_world):
    before = Quota.objects.filter(workshop=tiny_world.workshop).count()
    world.grow_world(
        workshops=20,
        orders=5,
        reports=200,
        deliveries=6,
        batch=2,
        actors=tiny_world,
        owner_quota_statuses=("accepted", "cancelled"),
    )
    assert OutputReport.objects.count() == 500
    assert Quota.objects.filter(workshop=tiny_world.workshop).count() == before + 2
    assert integrity_problems() == []


@pytest.mark.django_db
def test_the_bench_empty_page_answers_ok_and_reports_its_query_count(client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    response = client.get("/bench/empty/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["X-Bench-Queries"] == "0"


@pytest.mark.django_db
def test_the_bench_signed_in_floor_shows_the_site_layout_to_a_signed_in_user_only(client, settings):
    from tests.factories import CoordinatorFactory

    settings.ROOT_URLCONF = "bench.urls"
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    assert client.get("/bench/signed-in/").status_code == 302
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    response = client.get("/bench/signed-in/")
    assert response.status_code == 200
    page = response.content.decode()
    assert coordinator.full_name in page
    assert 'data-testid="site-menu"' in page
    assert int(response["X-Bench-Queries"]) >= 2  # the session and the user


@pytest.mark.django_db
def test_the_tight_allocation_country_asks_for_the_demand_ratio_times_the_sewing_capacity():

    from django.utils import timezone

    from bench import allocation as allocation_bench
    from orders.models import Order

    allocation_bench.build_country(60, 40, scenario=allocation_bench.TIGHT, demand_ratio=2.0)

    ratio, by_product = allocation_bench.measured_demand_ratio()
    assert ratio == pytest.approx(2.0, abs=0.05)
    assert all(value == pytest.approx(2.0, abs=0.1) for value in by_product.values())
    today = timezone.localdate()
    due_in = {(order.needed_by - today).days for order in Order.objects.all()}
    assert min(due_in) >= 7 and max(due_in) <= 21
    assert {order.priority for order in Order.objects.all()} == {"urgent", "high", "normal"}


@pytest.mark.django_db
def test_the_normal_allocation_country_has_far_more_capacity_than_demand():
    from bench import allocation as allocation_bench

    allocation_bench.build_country(60, 20)

    ratio, _ = allocation_bench.measured_demand_ratio()
    assert 0 < ratio < 1


@pytest.mark.django_db
def test_the_payments_benchmark_credits_each_payment_once_and_the_ledger_check_passes(monkeypatch):
    import requests

    from bench import payments

    monkeypatch.setattr(requests, "post", requests.post)  # the bench routes it to the mock bank; put it back after
    result = payments.run(payments=3, duplicates=0)  # twins need threads, hence committed data: the bench's own run
    assert result["credits_equal_payments"] and result["ledger_check_passes"] and result["error_count"] == 0
    assert result["rials_credited"] == result["rials_paid"] == 3 * payments.AMOUNT_RIALS


def test_the_phone_benchmarks_slow_line_carries_every_byte_and_counts_them():
    import socket
    import threading

    from bench.slow_link import SlowLink

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def echo_once():
        connection, _ = listener.accept()
        with connection:
            data = connection.recv(65536)
            connection.sendall(data.upper() * 3)

    threading.Thread(target=echo_once, daemon=True).start()
    with SlowLink(listener.getsockname()[1], 1_000_000, 1_000_000, round_trip_ms=20) as link:
        with socket.create_connection(("127.0.0.1", link.port), timeout=5) as phone:
            phone.sendall(b"gown")
            received = b""
            while len(received) < 12:
                received += phone.recv(65536)
        assert received == b"GOWNGOWNGOWN"
        assert link.counters() == (12, 4)
    listener.close()
