"""The order pages: who sees what, the list (filters, sorting, export), one order and its actions, new orders."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import jalali
from core.audit import log_action
from core.models import Role
from orders.models import Order, OrderPriority, OrderStatus
from production.models import QuotaStatus

from .. import factories

LIST = reverse("orders:list")
CREATE = reverse("orders:create")
MASK_COST = 60_000


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def detail_url(order) -> str:
    return reverse("orders:detail", kwargs={"pk": order.pk})


def action_url(order, action: str) -> str:
    return reverse("orders:action", kwargs={"pk": order.pk, "action": action})


def persian_date(days_from_today: int) -> str:
    return jalali.format_short(timezone.localdate() + dt.timedelta(days=days_from_today), persian=True)


def numbers_on(response) -> list[str]:
    return [order.number for order in response.context["table"].page.object_list.data]


# --- Who may open what ------------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, db):
    order = factories.OrderFactory()
    for url in (LIST, CREATE, detail_url(order)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.post(action_url(order, "approve")).status_code == 302


@pytest.mark.parametrize("role", [Role.WORKSHOP_OWNER, Role.DONOR])
def test_workshop_owners_and_donors_are_forbidden(client_for, db, role):
    order = factories.OrderFactory(status=OrderStatus.REQUESTED)
    client = client_for(factories.UserFactory(role=role))
    for url in (LIST, CREATE, detail_url(order)):
        assert client.get(url).status_code == 403
    assert client.post(action_url(order, "approve")).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_health_center_staff_cannot_act_on_their_own_orders(client_for, db):
    staff = factories.HealthCenterStaffFactory()
    order = factories.OrderFactory(health_center=staff.health_center, status=OrderStatus.REQUESTED)
    assert client_for(staff).post(action_url(order, "approve")).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED


def test_tehran_coordinator_gets_404_on_an_isfahan_order(client_for, coordinator):
    isfahan = factories.OrderFactory(
        health_center=factories.HealthCenterFactory(province=factories.province("isfahan")),
        status=OrderStatus.REQUESTED,
    )
    client = client_for(coordinator)
    assert client.get(detail_url(isfahan)).status_code == 404
    assert client.post(action_url(isfahan, "approve")).status_code == 404
    assert client.post(action_url(isfahan, "cancel"), {"cancel-reason": "x"}).status_code == 404
    isfahan.refresh_from_db()
    assert isfahan.status == OrderStatus.REQUESTED


def test_staff_of_another_center_gets_404(client_for, db):
    staff = factories.HealthCenterStaffFactory()
    other_center_order = factories.OrderFactory()
    assert client_for(staff).get(detail_url(other_center_order)).status_code == 404


def test_national_coordinator_opens_an_order_of_any_province(client_for, national_coordinator):
    fars = factories.OrderFactory(health_center=factories.HealthCenterFactory(province=factories.province("fars")))
    assert client_for(national_coordinator).get(detail_url(fars)).status_code == 200


def test_unknown_action_is_404(client_for, coordinator):
    order = factories.OrderFactory()
    assert client_for(coordinator).post(action_url(order, "explode")).status_code == 404


def test_actions_are_post_only(client_for, coordinator):
    order = factories.OrderFactory(status=OrderStatus.REQUESTED)
    assert client_for(coordinator).get(action_url(order, "approve")).status_code == 405


# --- List -------------------------------------------------------------------------------------------------------


def test_coordinator_lists_only_orders_of_her_provinces(client_for, coordinator):
    tehran = factories.OrderFactory(health_center__name="بیمارستان تهرانی")
    factories.OrderFactory(
        health_center=factories.HealthCenterFactory(name="بیمارستان اصفهانی", province=factories.province("isfahan"))
    )
    response = client_for(coordinator).get(LIST)
    assert response.status_code == 200
    assert numbers_on(response) == [tehran.number]
    assert "بیمارستان تهرانی" in response.text
    assert "بیمارستان اصفهانی" not in response.text


def test_staff_see_only_their_centers_orders_and_no_export(client_for, db):
    staff = factories.HealthCenterStaffFactory()
    own = factories.OrderFactory(health_center=staff.health_center)
    factories.OrderFactory()  # another Tehran center
    client = english(client_for(staff))
    response = client.get(LIST)
    assert numbers_on(response) == [own.number]
    assert "My orders" in response.text
    assert "Export CSV" not in response.text
    assert client.get(LIST, {"_export": "csv"}).status_code == 403


def test_list_shows_funding_and_production_figures(client_for, coordinator):
    order = factories.fund_order(factories.OrderFactory(status=OrderStatus.FUNDED, quantity=1000), MASK_COST * 250)
    factories.QuotaFactory(order=order, quantity=100, produced_units=30)
    factories.QuotaFactory(order=order, quantity=40, status=QuotaStatus.DECLINED, decline_reason="x")
    response = english(client_for(coordinator)).get(LIST, {"_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Funded"] == "25"
    assert rows[0]["Releasable units"] == "250"
    assert rows[0]["Allocated"] == "100"
    assert rows[0]["Produced"] == "30"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "requested"}, ["requested"]),
        ({"priority": "urgent"}, ["urgent"]),
        ({"q": "۰۰۰۷۷"}, ["numbered"]),
    ],
)
def test_list_filters(client_for, coordinator, params, expected):
    orders = {
        "requested": factories.OrderFactory(status=OrderStatus.REQUESTED),
        "urgent": factories.OrderFactory(priority=OrderPriority.URGENT),
        "numbered": factories.OrderFactory(number="ORD-1405-000077"),
    }
    response = client_for(coordinator).get(LIST, params)
    assert numbers_on(response) == [orders[name].number for name in expected]


def test_product_province_and_health_center_filters(client_for, national_coordinator):
    gown = factories.OrderFactory(product=factories.product("isolation-gown"))
    fars = factories.OrderFactory(health_center=factories.HealthCenterFactory(province=factories.province("fars")))
    client = client_for(national_coordinator)
    assert numbers_on(client.get(LIST, {"product": gown.product.pk})) == [gown.number]
    assert numbers_on(client.get(LIST, {"province": fars.health_center.province.pk})) == [fars.number]
    assert numbers_on(client.get(LIST, {"health_center": gown.health_center.pk})) == [gown.number]


def test_needed_by_range_is_typed_in_jalali_with_persian_digits(client_for, coordinator):
    today = timezone.localdate()
    soon = factories.OrderFactory(needed_by=today + dt.timedelta(days=5))
    factories.OrderFactory(needed_by=today + dt.timedelta(days=40))
    response = client_for(coordinator).get(LIST, {"needed_from": persian_date(0), "needed_to": persian_date(10)})
    assert numbers_on(response) == [soon.number]


def test_a_malformed_jalali_date_shows_an_error_not_a_crash(client_for, coordinator):
    response = english(client_for(coordinator)).get(LIST, {"needed_from": "۱۴۰۵/۱۳/۴۰"})
    assert response.status_code == 200
    assert "Enter a Jalali date" in response.text


@pytest.mark.parametrize("sort", ["funded", "-releasable", "allocated", "-produced", "priority", "-needed_by"])
def test_every_column_sorts(client_for, coordinator, sort):
    low = factories.fund_order(factories.OrderFactory(status=OrderStatus.FUNDED, quantity=1000), MASK_COST * 10)
    high = factories.fund_order(factories.OrderFactory(status=OrderStatus.FUNDED, quantity=1000), MASK_COST * 900)
    response = client_for(coordinator).get(LIST, {"sort": sort})
    assert response.status_code == 200
    if sort == "funded":
        assert numbers_on(response) == [low.number, high.number]
    if sort == "-releasable":
        assert numbers_on(response) == [high.number, low.number]


def test_list_pages_by_25(client_for, coordinator):
    factories.OrderFactory.create_batch(26)
    response = client_for(coordinator).get(LIST)
    assert len(numbers_on(response)) == 25
    assert len(numbers_on(client_for(coordinator).get(LIST, {"page": 2}))) == 1


def test_csv_export_escapes_formulas(client_for, coordinator):
    factories.OrderFactory(health_center__name='=HYPERLINK("http://x")')
    response = english(client_for(coordinator)).get(LIST, {"_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Order number", "Health center", "Product"]
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_xlsx_export_contains_every_filtered_row(client_for, coordinator):
    factories.OrderFactory.create_batch(27, status=OrderStatus.OPEN)
    factories.OrderFactory(status=OrderStatus.CANCELLED)
    response = client_for(coordinator).get(LIST, {"status": "open", "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 28  # header + 27


# --- New order --------------------------------------------------------------------------------------------------


def order_form(center=None, **overrides):
    data = {
        "product": factories.product().pk,
        "quantity": "۱٬۲۰۰",
        "needed_by": persian_date(20),
        "priority": "high",
        "note": "تحویل به انبار",
    }
    if center is not None:
        data["health_center"] = center.pk
    return {**data, **overrides}


def test_coordinator_creates_an_open_order_for_a_center_of_her_province(client_for, coordinator):
    center = factories.HealthCenterFactory()
    response = client_for(coordinator).post(CREATE, order_form(center))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(order)
    assert order.health_center == center
    assert order.quantity == 1200
    assert order.needed_by == timezone.localdate() + dt.timedelta(days=20)
    assert order.priority == OrderPriority.HIGH
    assert order.status == OrderStatus.OPEN
    assert order.created_by == coordinator


def test_coordinator_cannot_pick_a_center_outside_her_provinces(client_for, coordinator):
    isfahan = factories.HealthCenterFactory(province=factories.province("isfahan"))
    response = english(client_for(coordinator)).get(CREATE)
    assert isfahan.name not in response.text
    response = english(client_for(coordinator)).post(CREATE, order_form(isfahan))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Order.objects.exists()


def test_staff_request_their_own_center_and_it_waits_for_approval(client_for, db):
    staff = factories.HealthCenterStaffFactory()
    client = english(client_for(staff))
    page = client.get(CREATE)
    assert staff.health_center.name in page.text
    assert 'name="health_center"' not in page.text
    other = factories.HealthCenterFactory()
    response = client.post(CREATE, order_form(other))  # a smuggled center is ignored
    order = Order.objects.get()
    assert response.status_code == 302
    assert order.health_center == staff.health_center
    assert order.status == OrderStatus.REQUESTED
    page = client.get(response["Location"])
    assert "Waiting for a coordinator to approve this request." in page.text


def test_a_form_error_keeps_everything_typed(client_for, coordinator):
    center = factories.HealthCenterFactory()
    response = english(client_for(coordinator)).post(CREATE, order_form(center, needed_by=persian_date(-1)))
    assert response.status_code == 200
    assert "This date has already passed" in response.text
    assert 'value="۱٬۲۰۰"' in response.text
    assert "تحویل به انبار" in response.text
    assert f'value="{center.pk}" selected' in response.text
    assert response.context["form"]["priority"].value() == "high"
    assert 'value="high" id="id_priority_1" required checked' in response.text
    assert not Order.objects.exists()


def test_missing_fields_are_named(client_for, coordinator):
    response = english(client_for(coordinator)).post(CREATE, {"priority": "normal"})
    assert "Choose the health center that needs the goods." in response.text
    assert "Enter how many units are needed." in response.text
    assert "Enter the date by which the goods are needed." in response.text


# --- One order and its actions ----------------------------------------------------------------------------------


def test_order_page_shows_money_quotas_totals_and_history(client_for, coordinator):
    order = factories.fund_order(factories.OrderFactory(status=OrderStatus.FUNDED, quantity=1000), MASK_COST * 500)
    quota = factories.QuotaFactory(order=order, quantity=120, produced_units=45)
    log_action(actor=coordinator, obj=order, action="order.extend", changes={"priority": ["normal", "urgent"]})
    response = english(client_for(coordinator)).get(detail_url(order))
    text = response.text
    assert "60,000,000 rials" in text  # budget
    assert "30,000,000 rials" in text  # confirmed
    assert "50%" in text
    assert "Partly funded" in text
    assert reverse("supply:workshop-detail", kwargs={"pk": quota.workshop.pk}) in text
    assert quota.workshop.name in text
    assert response.context["funding"].releasable_units == 500
    assert response.context["totals"].produced == 45
    assert response.context["totals"].delivered == 0
    assert response.context["delivery_progress"].on_deliveries == 0  # nothing on a delivery yet
    assert "Confirmed funds come from the donations ledger" in text
    assert reverse("donations:pledge-list") + f"?order={order.number}" in text
    assert "from Normal to Urgent" in text or "from normal to urgent" in text


def test_staff_see_their_order_without_workshop_names_actions_or_history(client_for, db):
    staff = factories.HealthCenterStaffFactory()
    order = factories.OrderFactory(health_center=staff.health_center, status=OrderStatus.IN_PRODUCTION)
    quota = factories.QuotaFactory(order=order)
    response = english(client_for(staff)).get(detail_url(order))
    assert response.status_code == 200
    assert quota.workshop.name not in response.text
    assert "A workshop in" in response.text
    assert "History of changes" not in response.text
    assert 'data-testid="action-cancel"' not in response.text


def test_coordinator_approves_a_request_from_its_page(client_for, coordinator):
    order = factories.OrderFactory(status=OrderStatus.REQUESTED)
    client = english(client_for(coordinator))
    page = client.get(detail_url(order))
    assert 'data-testid="action-approve"' in page.text
    assert 'data-testid="action-funds"' not in page.text  # approve first
    response = client.post(action_url(order, "approve"), follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    assert "is approved and open" in response.text


def test_rejecting_needs_a_reason_and_keeps_the_page(client_for, coordinator):
    order = factories.OrderFactory(status=OrderStatus.REQUESTED)
    client = english(client_for(coordinator))
    response = client.post(action_url(order, "reject"), {"reject-reason": ""})
    assert response.status_code == 200
    assert "Please give a reason." in response.text
    order.refresh_from_db()
    assert order.status == OrderStatus.REQUESTED
    client.post(action_url(order, "reject"), {"reject-reason": "خارج از حوزه"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_money_confirmed_on_the_donations_desk_funds_the_order_and_shows_on_its_page(client_for, coordinator):
    order = factories.OrderFactory(status=OrderStatus.OPEN, quantity=1000)
    pledge = factories.PledgeFactory(order=order, amount_rials=50_000_000)
    client_for(coordinator).post(
        reverse("donations:pledge-action", args=[pledge.pk, "confirm"]),
        {
            "confirm-bank_reference": "رسید ۱۲",
            "confirm-received_on": "۱۴۰۵/۰۹/۰۱",
            "confirm-amount_received_rials": "۵۰٬۰۰۰٬۰۰۰",
        },
    )
    response = client_for(coordinator).get(detail_url(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.FUNDED
    assert "۵۰٬۰۰۰٬۰۰۰" in response.text
    assert response.context["funding"].releasable_units == 833


def test_the_order_page_has_no_form_to_type_funds_by_hand(client_for, coordinator):
    order = factories.OrderFactory(status=OrderStatus.OPEN, quantity=1000)
    response = english(client_for(coordinator)).get(detail_url(order))
    assert 'data-testid="action-funds"' not in response.text
    assert client_for(coordinator).post(action_url(order, "funds"), {"funds-amount_rials": "1000"}).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN


def test_extend_from_the_page_with_a_jalali_date(client_for, coordinator):
    today = timezone.localdate()
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, needed_by=today - dt.timedelta(days=2))
    quota = factories.QuotaFactory(order=order, due_date=today - dt.timedelta(days=4))
    response = client_for(coordinator).post(
        action_url(order, "extend"), {"extend-needed_by": persian_date(10), "extend-reason": "تأخیر در پارچه"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    quota.refresh_from_db()
    assert order.needed_by == today + dt.timedelta(days=10)
    assert quota.due_date == today + dt.timedelta(days=8)


def test_extend_to_a_past_date_is_refused_next_to_the_field(client_for, coordinator):
    order = factories.OrderFactory(needed_by=timezone.localdate() - dt.timedelta(days=2))
    response = english(client_for(coordinator)).post(
        action_url(order, "extend"), {"extend-needed_by": persian_date(-1), "extend-reason": "x"}
    )
    assert response.status_code == 200
    assert "The new date must be in the future." in response.text


def test_cancel_from_the_page_cancels_open_quotas(client_for, coordinator):
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION)
    quota = factories.QuotaFactory(order=order, produced_units=10)
    client = english(client_for(coordinator))
    response = client.post(action_url(order, "cancel"), {"cancel-reason": ""})
    assert "Please give a reason." in response.text
    response = client.post(action_url(order, "cancel"), {"cancel-reason": "مرکز تعطیل شد"}, follow=True)
    order.refresh_from_db()
    quota.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert quota.status == QuotaStatus.CANCELLED
    assert quota.produced_units == 10
    assert "is cancelled" in response.text


def test_close_is_offered_only_for_delivered_orders(client_for, coordinator):
    delivered = factories.OrderFactory(status=OrderStatus.DELIVERED)
    open_order = factories.OrderFactory(status=OrderStatus.OPEN)
    client = english(client_for(coordinator))
    assert 'data-testid="action-close"' in client.get(detail_url(delivered)).text
    assert 'data-testid="action-close"' not in client.get(detail_url(open_order)).text
    response = client.post(action_url(open_order, "close"), {"close-note": ""}, follow=True)
    assert "Only a delivered order can be closed." in response.text
    client.post(action_url(delivered, "close"), {"close-note": ""})
    delivered.refresh_from_db()
    assert delivered.status == OrderStatus.CLOSED


def test_order_pages_are_persian_by_default(client_for, coordinator):
    order = factories.OrderFactory(quantity=1200)
    response = client_for(coordinator).get(detail_url(order))
    assert "۱٬۲۰۰" in response.text
    assert 'dir="rtl"' in response.text


def test_the_list_does_not_query_per_row(client_for, coordinator):
    factories.QuotaFactory(order=factories.OrderFactory())
    client = client_for(coordinator)
    client.get(LIST)  # the background banner is read once, then kept (core.outbox): counted apart from the rows
    with CaptureQueriesContext(connection) as one_row:
        client.get(LIST)
    for _ in range(10):
        factories.QuotaFactory(order=factories.OrderFactory())
    with CaptureQueriesContext(connection) as eleven_rows:
        client.get(LIST)
    assert len(eleven_rows) == len(one_row)
