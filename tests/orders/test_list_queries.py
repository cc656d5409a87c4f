"""The coordinator's three big lists count their rows once, keep the 404 past the last page, and the delivery
list's per-delivery totals (correlated subqueries) are right, sorting by them included."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from production.selectors.supply import workshops_for_coordinator
from production.supply import workshop_loads
from workshops.models import WorkshopUnavailability

from .. import factories

LISTS = ["supply:workshop-list", "orders:list", "deliveries:list"]


def make_rows(count: int = 3) -> None:
    for _ in range(count):
        factories.WorkshopFactory()
        factories.OrderFactory()
        factories.DeliveryLineFactory()


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


@pytest.mark.parametrize("url_name", LISTS)
def test_each_list_counts_its_rows_with_one_query(client_for, coordinator, url_name):
    make_rows()
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(url_name), {"per_page": 2})
    assert response.status_code == 200
    counts = [query["sql"] for query in captured if query["sql"].lstrip().upper().startswith("SELECT COUNT(")]
    assert len(counts) == 1, counts
    table = response.context["table"]
    assert table.paginator.count == response.context["paginator"].count  # both pagers agree on the count
    assert table.paginator.num_pages >= 2  # the table's own page size still applies


@pytest.mark.parametrize("url_name", LISTS)
def test_a_page_past_the_end_is_still_not_found(client_for, coordinator, url_name):
    make_rows(1)
    assert client_for(coordinator).get(reverse(url_name), {"page": 99}).status_code == 404


def test_delivery_list_totals_per_delivery_and_sorting_by_them(client_for, coordinator):
    big = factories.DeliveryLineFactory(units=30).delivery
    factories.DeliveryLineFactory(delivery=big, units=12)
    small = factories.DeliveryLineFactory(units=5).delivery
    empty = factories.DeliveryFactory()
    client = english(client_for(coordinator))

    rows = {row.pk: row for row in client.get(reverse("deliveries:list")).context["table"].page.object_list.data}
    assert (rows[big.pk].line_count, rows[big.pk].total_units) == (2, 42)
    assert (rows[small.pk].line_count, rows[small.pk].total_units) == (1, 5)
    assert (rows[empty.pk].line_count, rows[empty.pk].total_units) == (0, 0)

    def order(sort):
        response = client.get(reverse("deliveries:list"), {"sort": sort})
        return [row.pk for row in response.context["table"].page.object_list.data]

    assert order("-total_units") == [big.pk, small.pk, empty.pk]
    assert order("line_count") == [empty.pk, small.pk, big.pk]


def test_workshop_list_does_not_load_the_page_workshops_twice_for_utilisation(client_for, coordinator):
    make_rows()
    with CaptureQueriesContext(connection) as captured:
        assert client_for(coordinator).get(reverse("supply:workshop-list")).status_code == 200
    workshop_rows = [query for query in captured if query["sql"].startswith('SELECT "workshops_workshop"."id"')]
    assert len(workshop_rows) == 1


def test_workshop_loads_are_the_same_from_a_queryset_and_from_loaded_workshops(db):
    """The queryset path reads plain values (for thousands of workshops); the page path uses loaded rows."""
    today = timezone.localdate()
    busy = factories.QuotaFactory(quantity=300, due_date=today + dt.timedelta(days=10)).workshop
    factories.QuotaFactory(workshop=busy, quantity=90, due_date=today + dt.timedelta(days=30), capacity=45)
    WorkshopUnavailability.objects.create(
        workshop=busy, start_date=today + dt.timedelta(days=3), end_date=today + dt.timedelta(days=5)
    )
    WorkshopUnavailability.objects.create(
        workshop=busy, start_date=today + dt.timedelta(days=1), end_date=today + dt.timedelta(days=4)
    )
    idle = factories.WorkshopCapacityFactory().workshop
    bare = factories.WorkshopFactory()
    listed = workshops_for_coordinator(factories.CoordinatorFactory())

    from_queryset = workshop_loads(listed)
    from_rows = workshop_loads(list(listed))
    assert set(from_queryset) == {busy.pk, idle.pk, bare.pk}
    assert from_queryset == from_rows
    assert from_queryset[busy.pk].committed_days > 0
    assert from_queryset[busy.pk].working_days < from_queryset[idle.pk].working_days  # closed days count
