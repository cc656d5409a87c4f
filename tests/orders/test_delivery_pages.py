"""The delivery desk pages: who sees what, ready to deliver, a new delivery, the list, one delivery and its actions."""

import csv
import datetime as dt
import io
import uuid

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core import jalali
from core.models import Role
from fulfilment.models import Delivery, DeliveryLine, DeliveryStatus
from fulfilment.services.deliveries import delivery_create, delivery_dispatch, delivery_mark_delivered
from production.models import Quota

from .. import factories

LIST = reverse("deliveries:list")
READY = reverse("deliveries:ready")


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def persian_date(days_from_today: int) -> str:
    return jalali.format_short(timezone.localdate() + dt.timedelta(days=days_from_today), persian=True)


def accepted_quota(accepted: int = 40, *, health_center=None, **kwargs) -> Quota:
    """An accepted quota whose ``accepted`` units were collected and passed the quality check."""
    kwargs.setdefault("produced_units", accepted)
    if health_center:
        kwargs["order__health_center"] = health_center
    return factories.QuotaFactory(accepted_units=accepted, **kwargs)


def planned(actor, *quota_units, courier_name="علی پیک", **kwargs) -> Delivery:
    kwargs.setdefault("planned_date", timezone.localdate() + dt.timedelta(days=1))
    return delivery_create(
        health_center=quota_units[0][0].order.health_center,
        lines=list(quota_units),
        actor=actor,
        courier_name=courier_name,
        **kwargs,
    )


def create_url(center) -> str:
    return reverse("deliveries:create", kwargs={"health_center_pk": center.pk})


def detail_url(delivery) -> str:
    return reverse("deliveries:detail", kwargs={"pk": delivery.pk})


def action_url(delivery, action: str) -> str:
    return reverse("deliveries:action", kwargs={"pk": delivery.pk, "action": action})


def codes_on(response) -> list[str]:
    return [delivery.code for delivery in response.context["table"].page.object_list.data]


# --- Who may open what --------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, db):
    for url in (LIST, READY):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("role", [Role.WORKSHOP_OWNER, Role.DONOR, Role.HEALTH_CENTER_STAFF])
def test_other_roles_are_forbidden(client_for, db, role):
    user = (
        factories.HealthCenterStaffFactory() if role == Role.HEALTH_CENTER_STAFF else factories.UserFactory(role=role)
    )
    client = client_for(user)
    assert client.get(LIST).status_code == 403
    assert client.get(READY).status_code == 403


def test_a_delivery_or_health_center_outside_the_coordinators_provinces_is_404(client_for, coordinator):
    isfahan = factories.HealthCenterFactory(province=factories.province("isfahan"))
    quota = accepted_quota(10, health_center=isfahan)
    delivery = planned(factories.CoordinatorFactory(is_national=True, provinces=[]), (quota, 10))
    client = client_for(coordinator)
    assert client.get(detail_url(delivery)).status_code == 404
    assert client.get(create_url(isfahan)).status_code == 404
    assert client.post(action_url(delivery, "dispatch")).status_code == 404
    assert client.get(reverse("deliveries:edit", kwargs={"pk": delivery.pk})).status_code == 404


def test_national_coordinator_opens_a_delivery_of_any_province(client_for, national_coordinator):
    isfahan = factories.HealthCenterFactory(province=factories.province("isfahan"))
    delivery = planned(national_coordinator, (accepted_quota(10, health_center=isfahan), 10))
    assert client_for(national_coordinator).get(detail_url(delivery)).status_code == 200


# --- Ready to deliver ---------------------------------------------------------------------------------------


def test_ready_page_lists_centers_with_undelivered_accepted_units_and_links_a_new_delivery(client_for, coordinator):
    quota = accepted_quota(40)
    accepted_quota(1_200, health_center=quota.order.health_center, quantity=1_200)
    accepted_quota(30, health_center=factories.HealthCenterFactory(province=factories.province("isfahan")))
    response = client_for(coordinator).get(READY)
    center = quota.order.health_center
    assert [c.pk for c in response.context["centers"]] == [center.pk]
    html = response.content.decode()
    assert "۱٬۲۴۰" in html  # Persian digits with separators
    assert create_url(center) in html


# --- New delivery -------------------------------------------------------------------------------------------


def create_form(quota_units: dict, **overrides) -> dict:
    data = {
        "planned_date": persian_date(1),
        "courier_name": "علی پیک",
        "courier_phone": "۰۹۱۲۱۲۳۴۵۶۷",
        "vehicle": "وانت",
        "note": "",
    }
    for quota, units in quota_units.items():
        data[f"units_{quota.pk}"] = units
    return {**data, **overrides}


def test_the_new_delivery_page_shows_one_row_per_deliverable_quota(client_for, coordinator):
    quota = accepted_quota(40)
    empty = accepted_quota(0, health_center=quota.order.health_center, produced_units=10)
    response = client_for(coordinator).get(create_url(quota.order.health_center))
    html = response.content.decode()
    assert f'name="units_{quota.pk}"' in html
    assert f'name="units_{empty.pk}"' not in html
    assert quota.workshop.name in html
    assert f'data-testid="deliverable-{quota.pk}">۴۰<' in html


def test_coordinator_plans_a_delivery_typing_persian_digits(client_for, coordinator):
    first = accepted_quota(40)
    second = accepted_quota(25, health_center=first.order.health_center)
    response = client_for(coordinator).post(
        create_url(first.order.health_center), create_form({first: "۳۰", second: ""})
    )
    delivery = Delivery.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(delivery)
    assert [(line.quota_id, line.units) for line in delivery.lines.all()] == [(first.pk, 30)]
    assert delivery.courier_phone == "09121234567"
    assert delivery.planned_date == timezone.localdate() + dt.timedelta(days=1)


def test_the_same_form_sent_twice_plans_one_delivery_and_shows_it(client_for, coordinator):
    quota = accepted_quota(40)
    client = english(client_for(coordinator))
    page = client.get(create_url(quota.order.health_center))
    key = page.context["form"].initial["submission_key"]
    assert f'name="submission_key" value="{key}"' in page.content.decode()
    data = {**create_form({quota: "۳۰"}), "submission_key": str(key)}
    first = client.post(create_url(quota.order.health_center), data)
    second = client.post(create_url(quota.order.health_center), data, follow=True)
    delivery = Delivery.objects.get()
    assert first["Location"] == detail_url(delivery)
    assert second.redirect_chain[-1][0] == detail_url(delivery)
    assert "This delivery was already planned" in second.content.decode()
    quota.refresh_from_db()
    assert quota.delivered_units == 30


def test_the_new_delivery_form_starts_with_todays_date_filled_in(client_for, coordinator):
    quota = accepted_quota(40)
    page = client_for(coordinator).get(create_url(quota.order.health_center)).content.decode()
    assert f'value="{jalali.format_short(timezone.localdate(), persian=True)}"' in page


def test_a_twin_request_that_reaches_the_service_returns_the_first_delivery(coordinator):
    quota = accepted_quota(40)
    key = uuid.uuid4()
    first = delivery_create(
        health_center=quota.order.health_center,
        planned_date=timezone.localdate(),
        lines=[(quota, 30)],
        actor=coordinator,
        submission_key=key,
    )
    twin = delivery_create(
        health_center=quota.order.health_center,
        planned_date=timezone.localdate(),
        lines=[(quota, 30)],
        actor=coordinator,
        submission_key=key,
    )
    assert twin.pk == first.pk
    quota.refresh_from_db()
    assert quota.delivered_units == 30


def test_too_many_units_are_refused_on_their_row_and_nothing_typed_is_lost(client_for, coordinator):
    first = accepted_quota(40)
    second = accepted_quota(25, health_center=first.order.health_center)
    response = english(client_for(coordinator)).post(
        create_url(first.order.health_center), create_form({first: "۴۱", second: "۵"}, vehicle="پراید سفید")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"units_{first.pk}"] == [
        f"Only 40 accepted units of {first.order.number} are not yet on a delivery."
    ]
    html = response.content.decode()
    assert 'value="۴۱"' in html
    assert 'value="۵"' in html
    assert "پراید سفید" in html
    assert not Delivery.objects.exists()


def test_a_delivery_without_any_units_is_refused(client_for, coordinator):
    quota = accepted_quota(40)
    response = english(client_for(coordinator)).post(create_url(quota.order.health_center), create_form({quota: ""}))
    assert "Enter the units to deliver on at least one row." in response.content.decode()
    assert not Delivery.objects.exists()


def test_a_malformed_date_is_named_not_a_crash(client_for, coordinator):
    quota = accepted_quota(40)
    response = english(client_for(coordinator)).post(
        create_url(quota.order.health_center), create_form({quota: "5"}, planned_date="۱۴۰۵/۱۳/۴۰")
    )
    assert "Enter a Jalali date" in response.content.decode()


# --- List ---------------------------------------------------------------------------------------------------


def test_coordinator_lists_only_deliveries_of_her_provinces(client_for, coordinator, national_coordinator):
    ours = planned(coordinator, (accepted_quota(10), 10))
    isfahan = factories.HealthCenterFactory(province=factories.province("isfahan"))
    planned(national_coordinator, (accepted_quota(10, health_center=isfahan), 10))
    assert codes_on(client_for(coordinator).get(LIST)) == [ours.code]


def test_list_filters_by_status_code_and_jalali_dates(client_for, coordinator):
    first = planned(coordinator, (accepted_quota(10), 10))
    second = planned(coordinator, (accepted_quota(10), 10), planned_date=timezone.localdate() + dt.timedelta(days=5))
    delivery_dispatch(delivery=second, actor=coordinator)
    client = client_for(coordinator)
    assert codes_on(client.get(LIST, {"status": "dispatched"})) == [second.code]
    assert codes_on(client.get(LIST, {"q": first.code[-6:]})) == [first.code]
    assert codes_on(client.get(LIST, {"q": second.short_code.lower()})) == [second.code]
    assert codes_on(client.get(LIST, {"date_from": persian_date(3)})) == [second.code]
    assert codes_on(client.get(LIST, {"date_to": persian_date(1)})) == [first.code]


@pytest.mark.parametrize("sort", ["code", "health_center", "province", "planned_date", "status", "total_units"])
def test_every_column_sorts(client_for, coordinator, sort):
    planned(coordinator, (accepted_quota(10), 10))
    for direction in ("", "-"):
        assert client_for(coordinator).get(LIST, {"sort": f"{direction}{sort}"}).status_code == 200


def test_csv_export_escapes_formulas_and_xlsx_has_the_rows(client_for, coordinator):
    center = factories.HealthCenterFactory(name='=HYPERLINK("http://x")')
    planned(coordinator, (accepted_quota(10, health_center=center), 7), courier_name="-علی")
    client = english(client_for(coordinator))
    response = client.get(LIST, {"_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Health center"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["Courier"] == "'-علی"
    assert rows[0]["Units"] == "7"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(LIST, {"_export": "xlsx"}).content)).active
    assert sheet.max_row == 2


# --- One delivery -------------------------------------------------------------------------------------------


def test_delivery_page_shows_header_lines_totals_short_code_and_history(client_for, coordinator):
    first = accepted_quota(1_500, quantity=1_500)
    second = accepted_quota(25, health_center=first.order.health_center)
    delivery = planned(coordinator, (first, 1_200), (second, 20), vehicle="وانت")
    client = client_for(coordinator)
    html = client.get(detail_url(delivery)).content.decode()
    assert delivery.short_code in html
    assert 'data-testid="total-units">۱٬۲۲۰<' in html
    assert first.workshop.name in html and second.workshop.name in html
    assert "علی پیک" in html
    assert 'data-testid="action-dispatch"' in html
    assert 'data-testid="edit-delivery"' in html
    history = english(client).get(detail_url(delivery)).context["history"]
    assert [entry.what for entry in history] == ["Planned"]


def test_dispatch_then_mark_delivered_from_the_page(client_for, coordinator):
    delivery = planned(coordinator, (accepted_quota(10), 10))
    client = client_for(coordinator)
    assert client.post(action_url(delivery, "dispatch")).status_code == 302
    assert client.post(action_url(delivery, "deliver")).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    html = english(client).get(detail_url(delivery)).content.decode()
    assert "Marked delivered" in html  # in the history
    assert 'data-testid="action-cancel"' not in html


def test_dispatch_without_a_courier_shows_why(client_for, coordinator):
    delivery = planned(coordinator, (accepted_quota(10), 10), courier_name="")
    response = english(client_for(coordinator)).post(action_url(delivery, "dispatch"))
    assert response.status_code == 200
    assert "Enter the courier&#x27;s name" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PLANNED


def test_cancel_needs_a_reason_and_then_gives_the_units_back(client_for, coordinator):
    quota = accepted_quota(10)
    delivery = planned(coordinator, (quota, 10))
    client = english(client_for(coordinator))
    response = client.post(action_url(delivery, "cancel"), {"cancel-reason": ""})
    assert "Please give a reason." in response.content.decode()
    response = client.post(action_url(delivery, "cancel"), {"cancel-reason": "خودرو خراب شد"})
    assert response.status_code == 302
    quota.refresh_from_db()
    assert quota.delivered_units == 0
    html = client.get(detail_url(delivery)).content.decode()
    assert "خودرو خراب شد" in html
    assert 'data-testid="edit-delivery"' not in html


def test_a_second_click_on_an_action_already_done_does_not_fail(client_for, coordinator):
    delivery = planned(coordinator, (accepted_quota(10), 10))
    client = client_for(coordinator)
    client.post(action_url(delivery, "deliver"))  # not possible yet: planned
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PLANNED
    client.post(action_url(delivery, "dispatch"))
    assert client.post(action_url(delivery, "dispatch")).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISPATCHED


def test_unknown_action_is_404_and_actions_are_post_only(client_for, coordinator):
    delivery = planned(coordinator, (accepted_quota(10), 10))
    client = client_for(coordinator)
    assert client.post(action_url(delivery, "explode")).status_code == 404
    assert client.get(action_url(delivery, "dispatch")).status_code == 405


def test_edit_a_planned_delivery_with_persian_digits(client_for, coordinator):
    delivery = planned(coordinator, (accepted_quota(10), 10))
    url = reverse("deliveries:edit", kwargs={"pk": delivery.pk})
    client = client_for(coordinator)
    assert persian_date(1) in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "planned_date": persian_date(3),
            "courier_name": "رضا",
            "courier_phone": "۰۹۳۵۱۱۱۲۲۳۳",
            "vehicle": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.courier_name, delivery.courier_phone) == ("رضا", "09351112233")
    assert delivery.planned_date == timezone.localdate() + dt.timedelta(days=3)


def test_a_dispatched_delivery_cannot_be_edited_from_the_page(client_for, coordinator):
    delivery = planned(coordinator, (accepted_quota(10), 10))
    delivery_dispatch(delivery=delivery, actor=coordinator)
    response = client_for(coordinator).get(reverse("deliveries:edit", kwargs={"pk": delivery.pk}))
    assert response.status_code == 302


def test_received_and_rejected_show_once_confirmed(client_for, coordinator):
    delivery = planned(coordinator, (accepted_quota(10), 10))
    delivery_dispatch(delivery=delivery, actor=coordinator)
    delivery_mark_delivered(delivery=delivery, actor=coordinator)
    DeliveryLine.objects.filter(delivery=delivery).update(received_units=9, rejected_units=1, reject_reason="پاره")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.CONFIRMED)
    html = english(client_for(coordinator)).get(detail_url(delivery)).content.decode()
    assert "Rejected on receipt" in html
    assert "پاره" in html
