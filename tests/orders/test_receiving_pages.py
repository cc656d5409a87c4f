"""The receiver's pages: the signed link, the short code, staff confirming in the app."""

import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from fulfilment.models import Delivery, DeliveryStatus
from fulfilment.receiving_links import confirmation_path, confirmation_token
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from orders.models import OrderStatus
from tests import factories

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the wrong-code counter lives in the cache
    yield
    cache.clear()


@pytest.fixture
def order():
    return factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100, product=factories.product())


def delivery_for(order, *units, **kwargs) -> Delivery:
    kwargs.setdefault("status", DeliveryStatus.DISPATCHED)  # only a dispatched delivery can be answered
    delivery = factories.DeliveryFactory(health_center=order.health_center, **kwargs)
    for amount in units:
        quota = factories.QuotaFactory(
            order=order,
            produced_units=amount,
            collected_units=amount,
            accepted_units=amount,
            delivered_units=amount,
        )
        factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=amount)
    return delivery


def answer(delivery, **counts) -> dict:
    """POST data receiving every line in full, with ``counts`` overriding fields (e.g. received_units_7="۵۰")."""
    data = {"receiver_name": "مریم احمدی", "receiver_role": "انباردار"}
    for line in delivery.lines.all():
        data[f"received_units_{line.pk}"] = str(line.units)
        data[f"rejected_units_{line.pk}"] = "0"
        data[f"reject_reason_{line.pk}"] = ""
    return {**data, **counts}


# --- The signed link ----------------------------------------------------------------------------------------


def test_the_link_opens_the_form_without_login_with_sent_units_prefilled(client, order):
    delivery = delivery_for(order, 60)
    line = delivery.lines.get()

    response = client.get(confirmation_path(delivery))

    assert response.status_code == 200
    page = response.content.decode()
    assert delivery.health_center.name in page
    assert order.product.name in page
    assert 'inputmode="numeric"' in page
    assert f'name="received_units_{line.pk}" value="۶۰"' in page  # the pre-filled number in the page's digits
    assert "csrfmiddlewaretoken" in page


def test_a_tampered_token_is_404(client, order):
    delivery = delivery_for(order, 60)
    token = confirmation_token(delivery)

    assert (
        client.get(reverse("receiving:confirm", args=[token[:-1] + ("A" if token[-1] != "A" else "B")])).status_code
        == 404
    )
    assert client.get(reverse("receiving:confirm", args=["not-a-token"])).status_code == 404


def test_a_token_for_a_reissued_short_code_is_404(client, order):
    delivery = delivery_for(order, 60)
    path = confirmation_path(delivery)
    Delivery.objects.filter(pk=delivery.pk).update(short_code="ZZZZ9999")

    assert client.get(path).status_code == 404


def test_a_link_older_than_30_days_is_gone_with_a_page_saying_whom_to_call(client, order):
    delivery = delivery_for(order, 60)
    path = confirmation_path(delivery)
    client.cookies["hamdeli_language"] = "en"

    with mock.patch("django.core.signing.time.time", return_value=time.time() + 31 * DAY):
        response = client.get(path)
        posted = client.post(path, answer(delivery))

    assert response.status_code == 410
    assert "coordinator" in response.content.decode()
    assert posted.status_code == 410
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISPATCHED


def test_a_link_29_days_old_still_works(client, order):
    delivery = delivery_for(order, 60)
    path = confirmation_path(delivery)

    with mock.patch("django.core.signing.time.time", return_value=time.time() + 29 * DAY):
        assert client.get(path).status_code == 200


def test_submitting_with_persian_digits_confirms_and_shows_the_result(client, order):
    delivery = delivery_for(order, 60, 40)
    first, second = delivery.lines.order_by("id")
    path = confirmation_path(delivery)

    response = client.post(
        path, answer(delivery, **{f"received_units_{first.pk}": "۶۰", f"received_units_{second.pk}": "۴۰"}), follow=True
    )

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CONFIRMED
    assert delivery.confirmed_by is None
    assert response.redirect_chain[-1][0] == path
    assert 'data-testid="delivery-status"' in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED


def test_a_shortfall_is_disputed_and_the_result_shows_it_per_line(client, order):
    delivery = delivery_for(order, 60)
    line = delivery.lines.get()

    client.cookies["hamdeli_language"] = "en"
    response = client.post(
        confirmation_path(delivery),
        answer(
            delivery,
            **{
                f"received_units_{line.pk}": "۵۵",
                f"rejected_units_{line.pk}": "۲",
                f"reject_reason_{line.pk}": "پاره",
            },
        ),
        follow=True,
    )

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISPUTED
    page = response.content.decode()
    assert "Disputed" in page
    assert "7 units are missing or were rejected" in page
    assert "پاره" in page


def test_impossible_numbers_come_back_as_form_errors_keeping_what_was_typed(client, order):
    delivery = delivery_for(order, 60)
    line = delivery.lines.get()

    response = client.post(
        confirmation_path(delivery), answer(delivery, **{f"received_units_{line.pk}": "۷۰", "receiver_name": ""})
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'value="۷۰"' in page
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISPATCHED


def test_a_confirmed_delivery_is_read_only_and_a_second_submission_is_refused_politely(client, order):
    delivery = delivery_for(order, 60)
    path = confirmation_path(delivery)
    client.post(path, answer(delivery))

    shown = client.get(path)
    again = client.post(path, answer(delivery, receiver_name="کس دیگر"))

    assert shown.status_code == 200
    assert 'data-testid="confirm-form"' not in shown.content.decode()
    assert "مریم احمدی" in shown.content.decode()
    assert again.status_code == 200
    assert 'data-testid="already-answered"' in again.content.decode()
    delivery.refresh_from_db()
    assert delivery.receiver_name == "مریم احمدی"
    line = delivery.lines.get()
    assert line.received_units == 60


def test_a_cancelled_delivery_shows_a_read_only_notice(client, order):
    delivery = delivery_for(order, 60, status=DeliveryStatus.CANCELLED, cancel_reason="خودرو خراب شد")

    response = client.get(confirmation_path(delivery))

    assert response.status_code == 200
    assert 'data-testid="cancelled-notice"' in response.content.decode()
    assert 'data-testid="confirm-form"' not in response.content.decode()


# --- The short code -----------------------------------------------------------------------------------------


def test_the_short_code_typed_loosely_opens_the_confirmation_page(client, order):
    delivery = delivery_for(order, 60)
    Delivery.objects.filter(pk=delivery.pk).update(short_code="AB23CD45")

    response = client.post(reverse("receiving:enter-code"), {"code": " ab-۲۳ cd ۴۵ "})

    assert response.status_code == 302
    opened = client.get(response["Location"])
    assert opened.status_code == 200
    assert 'data-testid="confirm-form"' in opened.content.decode()


def test_an_unknown_code_is_a_form_error(client):
    response = client.post(reverse("receiving:enter-code"), {"code": "NOPE2345"})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_a_code_for_a_delivery_planned_more_than_30_days_ago_is_gone(client, order):
    import datetime as dt

    from django.utils import timezone

    delivery = delivery_for(order, 60, planned_date=timezone.localdate() - dt.timedelta(days=31))

    response = client.post(reverse("receiving:enter-code"), {"code": delivery.short_code})

    assert response.status_code == 410


def test_after_ten_wrong_codes_the_form_asks_to_try_later_even_for_a_right_code(client, order):
    delivery = delivery_for(order, 60)
    url = reverse("receiving:enter-code")

    statuses = [client.post(url, {"code": f"WRONG{n:03d}"}).status_code for n in range(10)]
    blocked = client.post(url, {"code": delivery.short_code})

    assert statuses[:9] == [200] * 9
    assert statuses[9] == 429
    assert blocked.status_code == 429
    assert 'data-testid="too-many-attempts"' in blocked.content.decode()
    other_ip = client.post(url, {"code": delivery.short_code}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


# --- Health-center staff ------------------------------------------------------------------------------------


def test_staff_see_their_centers_deliveries_only(client_for, order):
    mine = delivery_for(order, 60)
    theirs = delivery_for(factories.OrderFactory(status=OrderStatus.IN_PRODUCTION), 30)
    staff = factories.HealthCenterStaffFactory(health_center=order.health_center)

    page = client_for(staff).get(reverse("receiving:center-list")).content.decode()

    assert "۶۰" in page  # its units, in Persian digits
    assert reverse("receiving:center-confirm", args=[mine.pk]) in page
    assert reverse("receiving:center-confirm", args=[theirs.pk]) not in page


def test_staff_confirm_in_the_app_and_are_recorded_as_confirming(client_for, order):
    delivery = delivery_for(order, 60)
    staff = factories.HealthCenterStaffFactory(health_center=order.health_center)
    client = client_for(staff)
    url = reverse("receiving:center-confirm", args=[delivery.pk])

    form_page = client.get(url)
    response = client.post(url, answer(delivery, receiver_name=staff.full_name))

    assert staff.full_name in form_page.content.decode()
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CONFIRMED
    assert delivery.confirmed_by == staff


def test_another_centers_delivery_is_404_for_staff(client_for, order):
    delivery = delivery_for(order, 60)
    stranger = factories.HealthCenterStaffFactory()
    client = client_for(stranger)
    url = reverse("receiving:center-confirm", args=[delivery.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, answer(delivery)).status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISPATCHED


def test_the_center_pages_need_a_login_and_the_staff_role(client, client_for, coordinator):
    url = reverse("receiving:center-list")

    assert client.get(url).status_code == 302
    assert client_for(coordinator).get(url).status_code == 403


def test_staff_see_a_confirmed_delivery_read_only(client_for, order):
    delivery = delivery_for(order, 60)
    delivery_confirm(delivery=delivery, lines={delivery.lines.get().pk: ReceivedLine(60)}, receiver_name="مریم")
    staff = factories.HealthCenterStaffFactory(health_center=order.health_center)

    page = client_for(staff).get(reverse("receiving:center-confirm", args=[delivery.pk])).content.decode()

    assert 'data-testid="delivery-summary"' in page
    assert 'data-testid="confirm-form"' not in page


# --- Back on the order ----------------------------------------------------------------------------------------


def test_the_order_page_shows_received_units_and_a_partly_delivered_badge_to_coordinators(
    client_for, coordinator, order
):
    delivery = delivery_for(order, 60)
    delivery_confirm(
        delivery=delivery, lines={delivery.lines.get().pk: ReceivedLine(60, 4, "پارگی")}, receiver_name="مریم"
    )
    delivery_for(order, 30)

    page = client_for(coordinator).get(reverse("orders:detail", args=[order.pk])).content.decode()

    assert 'data-testid="on-deliveries">۹۰<' in page
    assert 'data-testid="received-units">۶۰<' in page
    assert 'data-testid="rejected-units">۴<' in page
    assert 'data-testid="delivered-total">۵۶<' in page
    assert "delivery-badge" in page
    assert reverse("deliveries:detail", args=[delivery.pk]) in page


def test_health_center_staff_see_their_order_fully_delivered_with_links_to_confirm(client_for, order):
    delivery = delivery_for(order, 100)
    delivery_confirm(delivery=delivery, lines={delivery.lines.get().pk: ReceivedLine(100)}, receiver_name="مریم")
    staff = factories.HealthCenterStaffFactory(health_center=order.health_center)
    client = client_for(staff)
    client.cookies["hamdeli_language"] = "en"

    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()

    assert "Fully delivered" in page
    assert reverse("receiving:center-confirm", args=[delivery.pk]) in page
    assert reverse("deliveries:detail", args=[delivery.pk]) not in page
