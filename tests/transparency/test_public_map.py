"""The results page's province map: need and free capacity only, hidden where fewer than five workshops stand behind."""

import re

from django.urls import reverse

from orders.models import OrderStatus
from tests import factories
from tests.reports.test_province_map import tiles_of


def public_map(client, query: str = ""):
    response = client.get(reverse("transparency:results") + query)
    assert response.status_code == 200
    return response.context["province_map"], response.content.decode()


def workshops_sewing_for(code: str, count: int) -> None:
    """An order of a health center in the province, held by ``count`` workshops there."""
    province = factories.province(code)
    order = factories.OrderFactory(
        health_center=factories.HealthCenterFactory(province=province), quantity=2000, status=OrderStatus.FUNDED
    )
    for _ in range(count):
        factories.QuotaFactory(order=order, workshop=factories.WorkshopFactory(province=province), quantity=100)


def test_the_public_map_hides_a_province_whose_need_describes_fewer_than_five_workshops(client, db):
    workshops_sewing_for("tehran", 5)
    workshops_sewing_for("qom", 2)
    factories.OrderFactory(health_center=factories.HealthCenterFactory(province=factories.province("yazd")))

    province_map, page = public_map(client)
    tiles = tiles_of(str(province_map.svg()))
    rows = {row["tile"].code: row for row in province_map.rows}

    assert tiles["tehran"]["state"] == "shown" and tiles["tehran"]["texts"][1] == "۱٬۵۰۰"
    assert tiles["qom"]["state"] == "hidden" and tiles["qom"]["texts"][1] == "پنهان"
    assert rows["qom"]["tile"].value is None and "۱٬۸۰۰" not in page
    assert tiles["yazd"]["texts"][1] == "۱٬۰۰۰"  # no workshop holds it: describes none


def test_the_public_map_hides_free_capacity_of_fewer_than_five_workshops(client, db):
    for _ in range(5):
        factories.WorkshopCapacityFactory(workshop=factories.WorkshopFactory())
    for _ in range(3):
        factories.WorkshopCapacityFactory(workshop=factories.WorkshopFactory(province=factories.province("qom")))

    province_map, _page = public_map(client, "?map=capacity")
    tiles = tiles_of(str(province_map.svg()))

    assert province_map.measure.key == "capacity"
    assert tiles["tehran"]["state"] == "shown" and int(tiles["tehran"]["step"]) == len(province_map.measure.colours) - 1
    assert tiles["qom"]["state"] == "hidden"


def test_the_public_map_offers_no_money_by_province(client, db):
    province_map, page = public_map(client, "?map=funding")

    assert province_map.measure.key == "need"
    assert [choice.key for choice in province_map.choices] == ["need", "capacity", "shortfall"]  # no money
    assert not re.search(r'data-measure="funding"', page)


def test_public_tiles_link_to_the_funding_board_of_their_province_and_carry_no_style(client, db):
    province_map, _page = public_map(client)
    svg = str(province_map.svg())
    fars = factories.province("fars")

    assert tiles_of(svg)["fars"]["url"] == f"{reverse('giving:board')}?province={fars.pk}"
    assert "style=" not in svg
    assert len(tiles_of(svg)) == 31


def test_public_tiles_link_only_for_visitors_who_may_give(client, owner, donor_user, client_for):
    for user, linked in ((owner, False), (donor_user, True)):
        province_map, _page = public_map(client_for(user))
        assert all(bool(tile.url) == linked for tile in province_map.tiles), user
