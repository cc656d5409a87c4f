"""The supply summary: capacity, committed and free units per province and product over the next 14 days."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from production.supply import supply_summary, workshop_loads
from workshops.models import Workshop, WorkshopStatus

from .. import factories

URL = reverse("supply:summary")
FRIDAY = dt.date(2026, 10, 2)  # the window is then Saturday 3rd to Friday 16th: 12 working days (Sat–Thu)


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


@pytest.fixture
def mask_workshop(db):
    """Verified, Saturday to Thursday, 20 masks and 10 gowns a day, with 60 masks still to make by Friday 23rd."""
    workshop = factories.WorkshopFactory(name="کارگاه نمونه")
    factories.WorkshopCapacityFactory(workshop=workshop, product=factories.product("isolation-gown"), units_per_day=10)
    factories.QuotaFactory(
        workshop=workshop,
        order__product=factories.product("surgical-mask-3ply"),
        capacity=20,
        quantity=90,
        produced_units=30,
        due_date=FRIDAY + dt.timedelta(days=21),
    )
    return workshop


def test_supply_numbers_on_a_hand_computed_example(mask_workshop):
    # Window: 12 working days. The quota's 60 remaining masks are spread over the 18 working days from
    # Saturday 3rd to Friday 23rd; 12 of them fall in the window: 60 × 12/18 = 40 masks committed,
    # i.e. 40 / 20 = 2 workshop-days. Free: 12 − 2 = 10 days, i.e. 200 masks or 100 gowns.
    load = workshop_loads(Workshop.objects.filter(pk=mask_workshop.pk), today=FRIDAY)[mask_workshop.pk]
    assert load.working_days == 12
    assert load.committed_days == 2
    assert round(load.utilisation * 100) == 17

    rows = {row.product.code: row for row in supply_summary(Workshop.objects.all(), today=FRIDAY)}

    mask = rows["surgical-mask-3ply"]
    assert (mask.province.code, mask.workshops, mask.daily_capacity) == ("tehran", 1, 20)
    assert (mask.window_capacity, mask.committed, mask.free) == (240, 40, 200)
    gown = rows["isolation-gown"]
    assert (gown.daily_capacity, gown.window_capacity, gown.committed, gown.free) == (10, 120, 0, 100)


def test_pending_and_suspended_workshops_are_not_counted(mask_workshop):
    for status in (WorkshopStatus.PENDING, WorkshopStatus.SUSPENDED):
        factories.WorkshopCapacityFactory(workshop__status=status, units_per_day=500)
    rows = {row.product.code: row for row in supply_summary(Workshop.objects.all(), today=FRIDAY)}
    assert rows["surgical-mask-3ply"].workshops == 1
    assert rows["surgical-mask-3ply"].daily_capacity == 20


def test_summary_page_shows_the_row_with_its_numbers(client_for, coordinator):
    # Due in 7 days: the whole remainder (60) falls in the window, whatever today is; 14 days hold 12 working days.
    factories.QuotaFactory(capacity=20, quantity=60, due_date=timezone.localdate() + dt.timedelta(days=7))
    response = english(client_for(coordinator)).get(URL)
    assert response.status_code == 200
    row = response.context["table"].rows[0]
    cells = [row.get_cell(name) for name in ("province", "product", "workshops", "daily_capacity")]
    assert cells == ["Tehran", factories.product().name_en, "1", "20"]
    assert [row.get_cell(name) for name in ("window_capacity", "committed", "free")] == ["240", "60", "180"]
    assert "How these numbers are worked out" in response.text


def test_summary_page_counts_only_her_provinces(client_for, coordinator):
    factories.WorkshopCapacityFactory(workshop__province=factories.province("fars"))
    response = client_for(coordinator).get(URL)
    assert len(response.context["table"].rows) == 0


def test_summary_numbers_use_persian_digits_in_the_persian_page(client_for, coordinator):
    factories.WorkshopCapacityFactory(units_per_day=1500)
    response = client_for(coordinator).get(URL)
    assert "۱٬۵۰۰" in response.text


def test_summary_csv_export_has_plain_numbers(client_for, coordinator):
    factories.WorkshopCapacityFactory(units_per_day=1500)
    response = english(client_for(coordinator)).get(URL, {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Province", "Product", "Verified workshops", "Daily capacity"]
    assert rows[1][:4] == ["Tehran", factories.product().name_en, "1", "1500"]


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.WORKSHOP_OWNER, Role.DONOR])
def test_workshop_owner_and_donor_are_forbidden(client_for, db, role):
    assert client_for(factories.UserFactory(role=role)).get(URL).status_code == 403
