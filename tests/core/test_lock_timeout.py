"""A request that waits too long for a row lock gets the "busy, try again" page and writes nothing (PostgreSQL).

Another transaction holds the delivery's row lock while the receiver submits the
confirmation form; with a short ``lock_timeout`` the confirmation gives up, its
transaction is rolled back, and the receiver sees a 409 page instead of a 500.
"""

import pytest
from django.conf import settings
from django.db import connection, transaction

from core.models import AuditLog
from fulfilment.models import Delivery, DeliveryStatus
from fulfilment.receiving_links import confirmation_path
from orders.models import OrderStatus
from tests import factories, races

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="lock_timeout is PostgreSQL's; CI runs this on PostgreSQL"
)


def _delivery() -> tuple[Delivery, dict]:
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100, product=factories.product())
    delivery = factories.DeliveryFactory(health_center=order.health_center, status=DeliveryStatus.DISPATCHED)
    quota = factories.QuotaFactory(
        order=order, produced_units=60, collected_units=60, accepted_units=60, delivered_units=60
    )
    line = factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=60)
    answer = {
        "receiver_name": "مریم احمدی",
        f"received_units_{line.pk}": "60",
        f"rejected_units_{line.pk}": "0",
        f"reject_reason_{line.pk}": "",
    }
    return delivery, answer


@pytest.mark.django_db
def test_production_connections_give_up_waiting_for_a_lock_after_the_configured_time():
    assert f"-c lock_timeout={settings.DATABASE_LOCK_TIMEOUT_MS}" in settings.DATABASES["default"]["OPTIONS"]["options"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        shown = cursor.fetchone()[0]
    assert shown in (f"{settings.DATABASE_LOCK_TIMEOUT_MS}ms", f"{settings.DATABASE_LOCK_TIMEOUT_MS // 1000}s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_confirmation_blocked_by_someone_elses_lock_gets_the_busy_page_and_changes_nothing(client):
    delivery, answer = _delivery()
    path = confirmation_path(delivery)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the sentence is checked in English
    status_before = delivery.status

    try:
        with races.Race() as race:
            holding = race.spot("the other transaction holding the delivery's row lock")

            def hold_the_delivery():
                with transaction.atomic():
                    Delivery.objects.select_for_update().get(pk=delivery.pk)
                    holding.arrive()

            race.start("holder", hold_the_delivery)
            holding.wait_until_reached()
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
            response = client.post(path, answer)
            holding.release()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert race.errors == {}
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else is changing this right now. Nothing was saved; please try again in a moment." in page
    assert f'href="{path}"' in page
    delivery.refresh_from_db()
    assert delivery.status == status_before != DeliveryStatus.CONFIRMED
    assert delivery.confirmed_at is None
    assert list(delivery.lines.values_list("received_units", flat=True)) == [None]
    assert not AuditLog.objects.filter(action="delivery.confirmed").exists()

    # Once the other transaction has finished, trying again works.
    assert client.post(path, answer).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CONFIRMED
