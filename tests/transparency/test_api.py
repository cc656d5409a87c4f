"""The open-data API: need by province and product as JSON and as CSV with HXL hashtags; clear 400s; a rate limit."""

import csv
import io

import pytest
from django.urls import reverse

from .. import factories

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    return client.get(f"/api/v1/{path}", params)


def test_need_adds_up_open_orders_per_province_and_product_with_funded_and_unmet_units(client):
    funded = factories.fund_order(factories.OrderFactory(quantity=300), None)  # the whole budget
    factories.OrderFactory(quantity=200, product=funded.product)
    factories.OrderFactory(quantity=100, health_center=factories.HealthCenterFactory(), status="closed")
    body = get(client, "need").json()
    (row,) = body["results"]
    assert (row["province_code"], row["product_code"]) == ("tehran", funded.product.code)
    assert (row["open_orders"], row["units_needed"], row["units_funded"], row["units_unmet"]) == (2, 500, 300, 500)
    assert body["count"] == 1 and body["pages"] == 1


def test_the_csv_download_has_a_hxl_row_under_its_header_and_opens_in_excel(client):
    factories.OrderFactory(quantity=250)
    response = get(client, "need.csv", province="tehran")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Persian names only with the byte-order mark
    header, hashtags, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert hashtags[header.index("province_code")] == "#adm1+code"
    assert row[header.index("units_needed")] == "250"


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"province": "atlantis"}, "Unknown province code"),
        ({"product": "<script>"}, "Unknown product code"),
        ({"page": "0"}, "page"),
        ({"page": "۱۲٫۵"}, "not a whole number"),
        ({"page": "9" * 20}, "page"),
        ({"province": "x" * 3000}, "province"),
    ],
)
def test_a_bad_parameter_gets_400_with_what_was_wrong(client, params, says):
    response = get(client, "need", **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert says in str(response.json())


def test_a_page_number_in_persian_digits_is_read(client):
    assert get(client, "need", page="۱").json()["page"] == 1


def test_the_openapi_document_describes_the_need_endpoint(client):
    schema = get(client, "openapi.json").json()
    assert "/api/v1/need" in schema["paths"] and schema["info"]["version"] == "1"


def test_one_address_is_slowed_down_after_120_requests_a_minute(client):
    answers = [get(client, "provinces").status_code for _ in range(121)]
    assert answers[:120] == [200] * 120 and answers[120] == 429


def test_the_results_page_links_to_the_open_data(client):
    page = client.get(reverse("transparency:results")).content.decode()
    assert "/api/v1/need.csv" in page


def test_the_public_need_is_kept_five_minutes_like_the_results_page_and_costs_no_query_meanwhile(
    client, django_assert_num_queries
):
    order = factories.OrderFactory(quantity=300)
    first = get(client, "need").json()
    factories.OrderFactory(quantity=200, product=order.product)  # a new order shows after the five minutes

    with django_assert_num_queries(0):
        again = get(client, "need").json()

    assert again == first
    assert get(client, "need", province="tehran").json()["results"][0]["units_needed"] == 500  # another question
