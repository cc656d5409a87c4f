"""The coordinator's workshop list: her provinces only, filters, sorting, CSV/XLSX export, few queries."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from production.models import QuotaStatus
from workshops.models import WorkshopStatus

from .. import factories

URL = reverse("supply:workshop-list")


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def names_on(response) -> list[str]:
    """Workshop names in the table, in the order shown."""
    return [record.name for record in response.context["table"].page.object_list.data]


def fill_next_days(workshop, units: int, days: int = 7):
    """An accepted quota of the workshop's only product, due in ``days`` days (fully inside the 14-day window)."""
    return factories.QuotaFactory(
        workshop=workshop, quantity=units, due_date=timezone.localdate() + dt.timedelta(days=days)
    )


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.WORKSHOP_OWNER, Role.DONOR, Role.HEALTH_CENTER_STAFF])
def test_other_roles_are_forbidden_from_the_workshop_list(client_for, db, role):
    user = (
        factories.HealthCenterStaffFactory() if role == Role.HEALTH_CENTER_STAFF else factories.UserFactory(role=role)
    )
    assert client_for(user).get(URL).status_code == 403


def test_coordinator_lists_only_workshops_of_her_provinces(client_for, coordinator):
    factories.WorkshopFactory(name="کارگاه تهرانی")
    factories.WorkshopFactory(name="کارگاه شیرازی", province=factories.province("fars"))
    response = client_for(coordinator).get(URL)
    assert response.status_code == 200
    assert "کارگاه تهرانی" in response.text
    assert "کارگاه شیرازی" not in response.text


def test_national_coordinator_lists_workshops_of_every_province(client_for, national_coordinator):
    factories.WorkshopFactory(name="کارگاه تهرانی")
    factories.WorkshopFactory(name="کارگاه شیرازی", province=factories.province("fars"))
    response = client_for(national_coordinator).get(URL)
    assert "کارگاه تهرانی" in response.text
    assert "کارگاه شیرازی" in response.text


def test_province_filter_offers_only_her_provinces(client_for, coordinator):
    response = client_for(coordinator).get(URL)
    provinces = list(response.context["filter"].form.fields["province"].queryset)
    assert provinces == [factories.province("tehran")]


def test_a_province_outside_her_scope_cannot_be_chosen_to_see_its_workshops(client_for, coordinator):
    factories.WorkshopFactory(name="کارگاه شیرازی", province=factories.province("fars"))
    response = client_for(coordinator).get(URL, {"province": factories.province("fars").pk})
    assert "کارگاه شیرازی" not in response.text


def test_row_shows_owner_mobile_city_status_head_of_household_capacity_and_active_quotas(client_for, coordinator):
    owner = factories.UserFactory(full_name="زهره کاظمی", mobile="09351234567")
    workshop = factories.WorkshopFactory(
        name="کارگاه زهره", owner=owner, status=WorkshopStatus.PENDING, is_woman_head_of_household=True
    )
    factories.WorkshopCapacityFactory(workshop=workshop, product=factories.product(), units_per_day=250)
    factories.QuotaFactory(workshop=workshop)
    client = english(client_for(coordinator))
    response = client.get(URL)
    row = response.context["table"].rows[0]
    assert "زهره کاظمی" in response.text
    assert "09351234567" in response.text
    assert "Pending verification" in row.get_cell("status")
    assert row.get_cell("is_woman_head_of_household") == "Yes"
    assert f"{factories.product().name_en}: 250" in row.get_cell("capacities")
    assert row.get_cell("active_quotas") == "1"
    assert reverse("supply:workshop-detail", kwargs={"pk": workshop.pk}) in response.text


def test_mobile_is_shown_with_persian_digits_in_the_persian_page(client_for, coordinator):
    factories.WorkshopFactory(owner=factories.UserFactory(mobile="09351234567"))
    assert "۰۹۳۵۱۲۳۴۵۶۷" in client_for(coordinator).get(URL).text


def test_status_filter_narrows_the_list(client_for, coordinator):
    factories.WorkshopFactory(name="کارگاه منتظر", status=WorkshopStatus.PENDING)
    factories.WorkshopFactory(name="کارگاه تأییدشده")
    response = client_for(coordinator).get(URL, {"status": "pending"})
    assert names_on(response) == ["کارگاه منتظر"]


def test_city_filter_narrows_the_list_and_offers_only_cities_with_her_workshops(client_for, coordinator):
    shahriar = factories.City.objects.create(
        province=factories.province("tehran"), name_fa="شهریار", name_en="Shahriar"
    )
    factories.WorkshopFactory(name="کارگاه شهریار", city=shahriar)
    factories.WorkshopFactory(name="کارگاه پایتخت")
    factories.WorkshopFactory(name="کارگاه شیرازی", province=factories.province("fars"))
    client = client_for(coordinator)
    response = client.get(URL, {"city": shahriar.pk})
    assert names_on(response) == ["کارگاه شهریار"]
    cities = set(response.context["filter"].form.fields["city"].queryset)
    assert cities == {shahriar, factories.capital("tehran")}


def test_product_filter_keeps_workshops_that_make_it(client_for, coordinator):
    mask, gown = factories.product("surgical-mask-3ply"), factories.product("isolation-gown")
    factories.WorkshopCapacityFactory(workshop__name="کارگاه ماسک", product=mask)
    factories.WorkshopCapacityFactory(workshop__name="کارگاه گان", product=gown, units_per_day=20)
    factories.WorkshopFactory(name="کارگاه بی‌ظرفیت")
    response = client_for(coordinator).get(URL, {"product": gown.pk})
    assert names_on(response) == ["کارگاه گان"]


def test_head_of_household_filter_has_yes_no_and_all(client_for, coordinator):
    factories.WorkshopFactory(name="کارگاه سرپرست", is_woman_head_of_household=True)
    factories.WorkshopFactory(name="کارگاه دیگر", is_woman_head_of_household=False)
    client = client_for(coordinator)
    assert names_on(client.get(URL, {"head_of_household": "yes"})) == ["کارگاه سرپرست"]
    assert names_on(client.get(URL, {"head_of_household": "no"})) == ["کارگاه دیگر"]
    assert len(names_on(client.get(URL, {"head_of_household": ""}))) == 2


def test_capacity_range_uses_the_chosen_products_daily_capacity(client_for, coordinator):
    mask, gown = factories.product("surgical-mask-3ply"), factories.product("isolation-gown")
    small = factories.WorkshopFactory(name="کارگاه کوچک")
    big = factories.WorkshopFactory(name="کارگاه بزرگ")
    factories.WorkshopCapacityFactory(workshop=small, product=mask, units_per_day=100)
    factories.WorkshopCapacityFactory(workshop=small, product=gown, units_per_day=400)
    factories.WorkshopCapacityFactory(workshop=big, product=mask, units_per_day=300)
    client = client_for(coordinator)
    # Persian digits are accepted in the range boxes.
    response = client.get(URL, {"product": mask.pk, "capacity_min": "۲۰۰"})
    assert names_on(response) == ["کارگاه بزرگ"]
    response = client.get(URL, {"product": mask.pk, "capacity_max": "150"})
    assert names_on(response) == ["کارگاه کوچک"]


def test_capacity_range_without_a_product_adds_up_all_products(client_for, coordinator):
    mask, gown = factories.product("surgical-mask-3ply"), factories.product("isolation-gown")
    small = factories.WorkshopFactory(name="کارگاه کوچک")
    big = factories.WorkshopFactory(name="کارگاه بزرگ")
    factories.WorkshopCapacityFactory(workshop=small, product=mask, units_per_day=100)
    factories.WorkshopCapacityFactory(workshop=small, product=gown, units_per_day=400)  # 500 in total
    factories.WorkshopCapacityFactory(workshop=big, product=mask, units_per_day=300)
    response = client_for(coordinator).get(URL, {"capacity_min": "450", "capacity_max": "600"})
    assert names_on(response) == ["کارگاه کوچک"]


def test_utilisation_range_keeps_workshops_whose_next_two_weeks_are_that_busy(client_for, coordinator):
    busy = factories.WorkshopFactory(name="کارگاه پرکار")
    idle = factories.WorkshopFactory(name="کارگاه بیکار")
    factories.WorkshopCapacityFactory(workshop=idle, units_per_day=20)
    # 120 units at 20 a day = 6 working days, all due within the 12 working days of the window: 50%.
    fill_next_days(busy, units=120)
    client = client_for(coordinator)
    assert names_on(client.get(URL, {"utilisation_min": "40"})) == ["کارگاه پرکار"]
    assert names_on(client.get(URL, {"utilisation_max": "۱۰"})) == ["کارگاه بیکار"]
    assert names_on(client.get(URL, {"utilisation_min": "50", "utilisation_max": "50"})) == ["کارگاه پرکار"]


def test_utilisation_is_shown_as_a_percent(client_for, coordinator):
    fill_next_days(factories.WorkshopFactory(), units=120)
    response = english(client_for(coordinator)).get(URL)
    assert response.context["table"].rows[0].get_cell("utilisation").count("50%") == 1


def test_a_finished_or_declined_quota_is_not_an_active_quota(client_for, coordinator):
    workshop = factories.WorkshopFactory()
    factories.QuotaFactory(workshop=workshop, quantity=10, produced_units=10)
    factories.QuotaFactory(workshop=workshop, status=QuotaStatus.DECLINED, decline_reason="بیمار")
    factories.QuotaFactory(workshop=workshop, status=QuotaStatus.OFFERED)
    response = client_for(coordinator).get(URL)
    assert response.context["table"].rows[0].get_cell("active_quotas") == "۱"


def test_invalid_range_shows_an_error_next_to_the_box(client_for, coordinator):
    factories.WorkshopFactory(name="کارگاه الف")
    response = english(client_for(coordinator)).get(URL, {"capacity_min": "many"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.text
    assert 'value="many"' in response.text


def test_sorting_by_name_and_by_utilisation(client_for, coordinator):
    factories.WorkshopFactory(name="کارگاه الف")
    busy = factories.WorkshopFactory(name="کارگاه ب")
    fill_next_days(busy, units=120)
    factories.WorkshopCapacityFactory(workshop=factories.WorkshopFactory(name="کارگاه پ"), units_per_day=20)
    client = client_for(coordinator)
    assert names_on(client.get(URL, {"sort": "-name"})) == ["کارگاه پ", "کارگاه ب", "کارگاه الف"]
    assert names_on(client.get(URL, {"sort": "-utilisation"}))[0] == "کارگاه ب"
    assert names_on(client.get(URL, {"sort": "utilisation"}))[-1] == "کارگاه ب"


def test_sorting_by_active_quotas_and_by_daily_capacity(client_for, coordinator):
    few = factories.WorkshopFactory(name="کارگاه کم")
    many = factories.WorkshopFactory(name="کارگاه زیاد")
    factories.QuotaFactory(workshop=many, capacity=500)
    factories.QuotaFactory(workshop=many)
    factories.QuotaFactory(workshop=few, capacity=30)
    client = client_for(coordinator)
    assert names_on(client.get(URL, {"sort": "-active_quotas"})) == ["کارگاه زیاد", "کارگاه کم"]
    assert names_on(client.get(URL, {"sort": "capacities"})) == ["کارگاه کم", "کارگاه زیاد"]


def test_list_is_paginated_by_25(client_for, coordinator):
    factories.WorkshopFactory.create_batch(26)
    client = client_for(coordinator)
    assert len(names_on(client.get(URL))) == 25
    assert len(names_on(client.get(URL, {"page": 2}))) == 1


def test_csv_export_contains_the_filtered_rows_with_formulas_escaped(client_for, coordinator):
    factories.WorkshopFactory(name='=HYPERLINK("http://evil")', is_woman_head_of_household=True)
    factories.WorkshopFactory(name="کارگاه دیگر", is_woman_head_of_household=False)
    factories.WorkshopFactory(
        name="کارگاه شیرازی", province=factories.province("fars"), is_woman_head_of_household=True
    )
    response = english(client_for(coordinator)).get(URL, {"head_of_household": "yes", "_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Workshop", "Owner", "Mobile"]
    assert len(rows) == 2  # header + the one Tehran head-of-household workshop
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'


def test_xlsx_export_contains_every_filtered_row_not_only_the_first_page(client_for, coordinator):
    factories.WorkshopFactory.create_batch(26, status=WorkshopStatus.PENDING)
    factories.WorkshopFactory(name="-کارگاه منفی", status=WorkshopStatus.PENDING)
    factories.WorkshopFactory(name="کارگاه تأییدشده")
    response = client_for(coordinator).get(URL, {"status": "pending", "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 27
    assert "'-کارگاه منفی" in names
    assert "کارگاه تأییدشده" not in names


def test_list_query_count_does_not_grow_with_the_number_of_workshops(client_for, coordinator):
    # Utilisation is computed for the page's workshops, or for every filtered one when sorting by it:
    # either way a fixed number of queries.
    client = client_for(coordinator)

    def queries_for(params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return len(queries)

    factories.QuotaFactory()
    queries_for({})  # the background banner is read once, then kept (core.outbox): counted apart from the rows
    plain, sorted_ = queries_for({}), queries_for({"sort": "-utilisation"})
    for _ in range(5):
        factories.QuotaFactory()
    assert queries_for({}) == plain
    assert queries_for({"sort": "-utilisation"}) == sorted_
