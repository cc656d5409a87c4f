"""A lock timeout is answered with a polite "busy, try again" page (409), never a server error."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import override

from core.busy import BusyMiddleware, is_lock_timeout
from fulfilment.models import DeliveryStatus
from fulfilment.receiving_links import confirmation_path
from orders.models import OrderStatus
from tests import factories


class _PostgresError(Exception):
    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _postgres_error(message: str, sqlstate: str) -> OperationalError:
    try:
        raise OperationalError(message) from _PostgresError(sqlstate)
    except OperationalError as exc:
        return exc


def _middleware() -> BusyMiddleware:
    return BusyMiddleware(lambda request: None)


def test_sqlites_database_is_locked_becomes_a_409_page_asking_to_try_again(rf: RequestFactory):
    request = rf.post("/coordinator/deliveries/7/")
    with override("en"):
        response = _middleware().process_exception(request, OperationalError("database is locked"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else is changing this right now. Nothing was saved; please try again in a moment." in page
    assert 'href="/coordinator/deliveries/7/"' in page
    assert response["Retry-After"] == "5"


def test_a_postgresql_lock_timeout_or_deadlock_is_recognised_by_its_sqlstate():
    assert is_lock_timeout(_postgres_error("canceling statement due to lock timeout", "55P03"))
    assert is_lock_timeout(_postgres_error("deadlock detected", "40P01"))
    assert not is_lock_timeout(_postgres_error("could not connect to server", "08006"))


def test_other_database_errors_stay_errors(rf: RequestFactory):
    request = rf.get("/")
    assert _middleware().process_exception(request, OperationalError("server closed the connection")) is None
    assert _middleware().process_exception(request, ValueError("database is locked")) is None


def test_the_busy_page_is_a_right_to_left_persian_page_for_persian_users(rf: RequestFactory):
    with override("fa"):
        response = _middleware().process_exception(rf.get("/"), OperationalError("database is locked"))
    assert response.status_code == 409
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


@pytest.mark.django_db
def test_a_page_whose_service_times_out_on_a_lock_answers_409_and_saves_nothing(client):
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100, product=factories.product())
    delivery = factories.DeliveryFactory(health_center=order.health_center, status=DeliveryStatus.DISPATCHED)
    quota = factories.QuotaFactory(
        order=order, produced_units=60, collected_units=60, accepted_units=60, delivered_units=60
    )
    line = factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=60)
    before = delivery.status
    data = {
        "receiver_name": "مریم احمدی",
        f"received_units_{line.pk}": "60",
        f"rejected_units_{line.pk}": "0",
        f"reject_reason_{line.pk}": "",
    }

    with mock.patch("fulfilment.services.receiving.log_action", side_effect=OperationalError("database is locked")):
        response = client.post(confirmation_path(delivery), data)

    assert response.status_code == 409
    assert 'data-testid="busy-page"' in response.content.decode()
    delivery.refresh_from_db()
    line.refresh_from_db()
    assert delivery.status == before != DeliveryStatus.CONFIRMED
    assert line.received_units is None
    assert reverse("home") in response.content.decode()
