"""The province map on the coordinator dashboard: 31 tiles, coloured by need, funding gap or free capacity."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from orders.funding import funding_of
from orders.models import OrderStatus
from production.models import QuotaStatus
from production.selectors.supply import workshop_load
from reports.map_selectors import MEASURES
from reports.province_map import TILES, build_map
from tests import factories


def dashboard(client_for, user, query: str = ""):
    response = client_for(user).get(reverse("reports:dashboard") + query)
    assert response.status_code == 200
    return response


def tiles_of(svg: str) -> dict[str, dict]:
    """Each tile's attributes and texts, by province code."""
    tiles = {}
    for match in re.finditer(
        r'<(a|g) (?:role="img" )?(href="([^"]*)" tabindex="-1" )?'
        r'data-province="([^"]+)" data-state="(\w+)" data-step="(\d*)">(.*?)</\1>',
        svg,
    ):
        _tag, _, href, code, state, step, body = match.groups()
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", body)
        fill = re.search(r'<rect [^>]*fill="([^"]+)"', body).group(1)
        tiles[code] = {
            "url": (href or "").replace("&amp;", "&"),
            "state": state,
            "step": step,
            "texts": texts,
            "fill": fill,
        }
    return tiles


@pytest.fixture
def need_world(coordinator):
    """Need in Tehran (large), Isfahan and Fars (smaller); Tehran's coordinator covers Tehran and Isfahan."""
    isfahan = factories.province("isfahan")
    coordinator.provinces.add(isfahan)
    tehran_center = factories.HealthCenterFactory()
    factories.OrderFactory(health_center=tehran_center, quantity=5000)
    busy = factories.OrderFactory(health_center=tehran_center, quantity=1000, status=OrderStatus.FUNDED)
    factories.QuotaFactory(order=busy, quantity=300)  # 700 of it still unmet
    factories.QuotaFactory(order=busy, quantity=200, status=QuotaStatus.DECLINED, decline_reason="سرم شلوغ است")
    factories.OrderFactory(health_center=tehran_center, quantity=900, status=OrderStatus.CLOSED)
    factories.OrderFactory(health_center=factories.HealthCenterFactory(province=isfahan), quantity=2500)
    factories.OrderFactory(
        health_center=factories.HealthCenterFactory(province=factories.province("fars")), quantity=400
    )
    return coordinator


def test_the_map_has_31_tiles_with_unique_province_codes_on_a_7_by_6_grid(national_coordinator, client_for):
    svg = dashboard(client_for, national_coordinator).context["province_map"].svg()
    tiles = tiles_of(svg)

    assert len(tiles) == 31
    assert set(tiles) == set(TILES)
    assert len(set(TILES.values())) == 31  # no two provinces on one square


def test_the_province_with_the_largest_unmet_need_is_the_darkest(need_world, national_coordinator, client_for):
    tiles = tiles_of(dashboard(client_for, national_coordinator).context["province_map"].svg())
    steps = {code: int(tile["step"]) for code, tile in tiles.items()}

    assert steps["tehran"] == max(steps.values()) == len(MEASURES[0].colours) - 1
    assert tiles["tehran"]["fill"] == MEASURES[0].colours[-1]
    assert 0 < steps["fars"] < steps["isfahan"] < steps["tehran"]
    assert steps["qom"] == 0  # no order: the lightest
    assert tiles["tehran"]["texts"] == ["تهران", "۵٬۷۰۰"]


def test_each_tile_links_to_the_dashboard_filtered_to_its_province_keeping_the_measure(need_world, client_for):
    tiles = tiles_of(dashboard(client_for, need_world, "?map=capacity").context["province_map"].svg())
    tehran = factories.province("tehran")

    assert tiles["tehran"]["url"] == f"{reverse('reports:dashboard')}?province={tehran.pk}&map=capacity#province-map"
    followed = client_for(need_world).get(tiles["tehran"]["url"].split("#")[0])
    assert followed.context["province"] == tehran
    assert followed.context["province_map"].measure.key == "capacity"
    assert [tile.code for tile in followed.context["province_map"].tiles if tile.selected] == ["tehran"]


def test_a_provincial_coordinator_sees_her_provinces_values_and_the_others_grey(need_world, client_for):
    response = dashboard(client_for, need_world)
    tiles = tiles_of(response.context["province_map"].svg())

    assert tiles["tehran"]["state"] == tiles["isfahan"]["state"] == "shown"
    assert tiles["fars"]["state"] == "not_yours"
    assert tiles["fars"]["url"] == ""
    assert tiles["fars"]["texts"] == ["فارس", "—"]
    assert "۴۰۰" not in response.content.decode().split('data-testid="province-map"')[1].split("</section>")[0]
    assert "not_yours" not in {tiles["tehran"]["state"]}


def test_the_maps_table_shows_the_dashboards_funding_gap_and_each_orders_unmet_units(need_world, client_for):
    tehran = factories.province("tehran")
    for order in factories.OrderFactory._meta.model.objects.filter(health_center__province=tehran):
        if order.status == OrderStatus.OPEN:
            factories.fund_order(order, 1000 * order.unit_cost_rials)
    funding = dashboard(client_for, need_world, "?map=funding").context
    rows = {row["tile"].code: row for row in funding["province_map"].rows}
    chart = {gap.province: gap.gap_rials for gap in funding["gaps"]}

    assert rows["tehran"]["value"] == format(chart["تهران"], ",").replace(",", "٬").translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    )

    need = {
        row["tile"].code: row["tile"].value for row in dashboard(client_for, need_world).context["province_map"].rows
    }
    orders = factories.OrderFactory._meta.model.objects.exclude(status__in=("closed", "cancelled"))
    expected = sum(
        max(order.quantity - funding_of(order).allocated_units, 0)
        for order in orders.filter(health_center__province=tehran)
    )
    assert need["tehran"] == expected == 5000 + 700


def test_free_capacity_is_the_workshops_free_days_on_their_record_pages(coordinator, client_for):
    idle = factories.WorkshopCapacityFactory().workshop
    busy = factories.QuotaFactory(quantity=40).workshop  # 20 a day: two working days taken
    factories.WorkshopFactory()  # no capacity declared: not counted
    factories.WorkshopCapacityFactory(workshop=factories.WorkshopFactory(status="pending"))

    rows = {
        row["tile"].code: row["tile"].value
        for row in dashboard(client_for, coordinator, "?map=capacity").context["province_map"].rows
    }

    assert rows["tehran"] == int(workshop_load(idle).free_days + workshop_load(busy).free_days)
    assert rows["tehran"] > 0


def test_the_svg_has_no_style_and_passes_the_csp_with_persian_digits(need_world, client_for):
    response = dashboard(client_for, need_world)
    svg = str(response.context["province_map"].svg())

    assert "style=" not in svg and "<style" not in svg
    root = ET.fromstring(svg)  # noqa: S314  (our own SVG): well-formed, links and all
    assert root.get("role") == "group" and root.find("{http://www.w3.org/2000/svg}title") is not None
    assert 'role="group"' in svg and "aria-label=" in svg
    assert "۵٬۷۰۰" in svg and "5,700" not in svg
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"].split("style-src")[1].split(";")[0]


def test_the_dashboards_queries_grow_by_one_read_per_measure_not_per_province(
    need_world, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(need_world)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:dashboard"))
    for code in ("qom", "yazd", "kerman", "gilan"):
        center = factories.HealthCenterFactory(province=factories.province(code))
        need_world.provinces.add(center.province)
        factories.OrderFactory(health_center=center)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reports:dashboard"))


def test_an_english_map_writes_latin_digits_and_short_english_names(db):
    provinces = list(factories.province("tehran")._meta.model.objects.all())
    east = factories.province("east-azerbaijan")
    province_map = build_map(MEASURES[0], provinces, {east.pk: 12500}, persian=False)
    tiles = tiles_of(str(province_map.svg()))

    assert tiles["east-azerbaijan"]["texts"] == ["E. Azerbaijan", "12,500"]


def test_the_thematic_pdf_draws_the_map_of_need_and_a_table_of_the_three_measures(need_world, request):
    from tests.pdf_tools import run_poppler
    from tests.reports.test_thematic_report import make_report, squeeze

    report = make_report(need_world, province="tehran")
    with report.pdf.open("rb") as handle:
        pdf = handle.read()
    (request.config.rootpath / "test-artifacts").mkdir(exist_ok=True)
    (request.config.rootpath / "test-artifacts" / "province-map-thematic.pdf").write_bytes(pdf)
    text = squeeze(run_poppler("pdftotext", pdf))

    assert squeeze("نیاز برآورده‌نشده") in text
    assert "۵٬۷۰۰" in text and "۲٬۵۰۰" in text  # Tehran's and Isfahan's unmet need
    assert squeeze("سیستان") in text  # every tile, also outside her provinces
    assert "۴۰۰" not in text  # Fars is not hers


def test_the_crisis_severity_colours_each_province_by_its_declared_level_with_named_colours(
    coordinator, national_coordinator, client_for
):
    import datetime as dt

    from django.utils import timezone

    from crisis.selectors import severity_board
    from crisis.services import severity_declare

    today = timezone.localdate()
    severity_declare(actor=national_coordinator, province=factories.province("tehran"), level=3, effective_from=today)
    severity_declare(actor=national_coordinator, province=factories.province("qom"), level=1, effective_from=today)
    tomorrow = today + dt.timedelta(days=1)
    severity_declare(actor=national_coordinator, province=factories.province("fars"), level=2, effective_from=tomorrow)

    province_map = dashboard(client_for, national_coordinator, "?map=severity").context["province_map"]
    tiles = tiles_of(str(province_map.svg()))
    board = {row.province.code: row.level for row in severity_board()}

    assert {code: int(tile["step"]) for code, tile in tiles.items()} == board
    assert tiles["tehran"]["texts"] == ["تهران", "قرمز"] and tiles["tehran"]["fill"] == "#d7301f"
    assert tiles["fars"]["texts"][1] == "سفید"  # declared orange from tomorrow
    assert [item.label for item in province_map.legend] == ["سفید", "زرد", "نارنجی", "قرمز"]
    assert "severity" in [choice.key for choice in province_map.choices]


def test_the_map_shows_where_need_exceeds_capacity_in_workshop_days(coordinator, client_for):
    isfahan = factories.province("isfahan")
    coordinator.provinces.add(isfahan)
    mask = factories.product()
    # Tehran: one workshop sewing 100 a day, 5,000 units needed (50 days) against its free days in 14.
    tehran_workshop = factories.WorkshopCapacityFactory(product=mask, units_per_day=100).workshop
    factories.OrderFactory(health_center=factories.HealthCenterFactory(), product=mask, quantity=5000)
    # Isfahan: the same workshop size, 300 units needed (3 days): covered.
    isfahan_workshop = factories.WorkshopCapacityFactory(
        workshop=factories.WorkshopFactory(province=isfahan), product=mask, units_per_day=100
    ).workshop
    factories.OrderFactory(health_center=factories.HealthCenterFactory(province=isfahan), product=mask, quantity=300)

    province_map = dashboard(client_for, coordinator, "?map=shortfall").context["province_map"]
    rows = {row["tile"].code: row["tile"].value for row in province_map.rows}

    tehran_free = workshop_load(tehran_workshop).free_days
    assert rows["tehran"] == round(50 - tehran_free) > 0
    assert rows["isfahan"] == 0 and workshop_load(isfahan_workshop).free_days >= 3
    assert province_map.measure.key == "shortfall"
