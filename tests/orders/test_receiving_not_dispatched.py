"""A delivery planned but not yet dispatched cannot be confirmed or disputed, whichever way the receiver comes.

Sheets are batch-printed the day before, so the QR link and the short code
exist before the courier leaves; until the coordinator marks the delivery
dispatched the service refuses, and the pages say when it can be confirmed.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import override

from core.models import AuditLog
from fulfilment.models import Delivery, DeliveryStatus
from fulfilment.receiving_links import confirmation_path
from fulfilment.services.receiving import NOT_DISPATCHED, ReceivedLine, delivery_confirm
from orders.models import OrderStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned():
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100, product=factories.product())
    delivery = factories.DeliveryFactory(health_center=order.health_center, status=DeliveryStatus.PLANNED)
    quota = factories.QuotaFactory(
        order=order, quantity=100, produced_units=60, collected_units=60, accepted_units=60, delivered_units=60
    )
    factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=60)
    return delivery


def full_answer(delivery: Delivery) -> dict:
    data = {"receiver_name": "مریم احمدی", "receiver_role": ""}
    for line in delivery.lines.all():
        data.update({f"received_units_{line.pk}": "60", f"rejected_units_{line.pk}": "0"})
        data[f"reject_reason_{line.pk}"] = ""
    return data


def test_the_service_refuses_a_planned_delivery_in_persian_and_changes_nothing(planned):
    lines = {line.pk: ReceivedLine(line.units) for line in planned.lines.all()}

    with override("fa"), pytest.raises(ValidationError) as refused:
        delivery_confirm(delivery=planned, lines=lines, receiver_name="مریم")

    assert refused.value.code == NOT_DISPATCHED
    assert "هنوز ارسال نشده" in refused.value.messages[0]
    planned.refresh_from_db()
    assert planned.status == DeliveryStatus.PLANNED
    assert planned.lines.get().received_units is None
    assert not AuditLog.objects.filter(action__startswith="delivery.").exists()


def test_the_sheets_link_shows_when_the_delivery_can_be_confirmed_instead_of_the_form(client, planned):
    response = client.get(confirmation_path(planned), HTTP_ACCEPT_LANGUAGE="fa")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="not-dispatched"' in page
    assert 'data-testid="confirm-form"' not in page
    assert "هنوز ارسال نشده" in page


def test_posting_the_link_of_a_planned_delivery_is_refused(client, planned):
    response = client.post(confirmation_path(planned), full_answer(planned), HTTP_ACCEPT_LANGUAGE="fa")

    assert 'data-testid="not-dispatched"' in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == DeliveryStatus.PLANNED


def test_the_short_code_of_a_planned_delivery_opens_the_notice_not_the_form(client, planned):
    response = client.post(reverse("receiving:enter-code"), {"code": planned.short_code}, follow=True)

    page = response.content.decode()
    assert 'data-testid="not-dispatched"' in page
    assert 'data-testid="confirm-form"' not in page


def test_staff_in_the_app_cannot_confirm_a_planned_delivery(client_for, planned):
    staff = factories.HealthCenterStaffFactory(health_center=planned.health_center)
    url = reverse("receiving:center-confirm", args=[planned.pk])

    response = client_for(staff).post(url, full_answer(planned), HTTP_ACCEPT_LANGUAGE="fa")

    assert 'data-testid="not-dispatched"' in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == DeliveryStatus.PLANNED


def test_once_dispatched_the_same_link_confirms(client, planned):
    Delivery.objects.filter(pk=planned.pk).update(status=DeliveryStatus.DISPATCHED)

    response = client.post(confirmation_path(planned), full_answer(planned))

    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == DeliveryStatus.CONFIRMED
