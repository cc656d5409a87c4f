"""The province map in Chromium: drawn under the strict CSP, its tiles link, a screenshot for the eye."""

import pytest
from playwright.sync_api import expect

from orders.models import OrderStatus
from production.models import QuotaStatus

from .. import factories
from .test_csp_browser import collect_csp_reports
from .test_dashboard_browser import LAPTOP, log_in


def need_in(code: str, units: int) -> None:
    center = factories.HealthCenterFactory(province=factories.province(code))
    factories.OrderFactory(health_center=center, quantity=units)


@pytest.mark.browser
def test_the_coordinator_sees_the_map_of_need_clicks_a_tile_and_the_public_page_hides_small_provinces(
    browser, live_server, artifacts_dir, django_db_serialized_rollback
):
    for code, units in (("tehran", 9000), ("isfahan", 4000), ("alborz", 1500), ("fars", 300), ("kerman", 2000)):
        need_in(code, units)
    order = factories.OrderFactory(health_center=factories.HealthCenterFactory(), status=OrderStatus.FUNDED)
    factories.QuotaFactory(order=order, quantity=100, status=QuotaStatus.ACCEPTED)
    tehran, alborz = factories.province("tehran"), factories.province("alborz")
    coordinator = factories.CoordinatorFactory(provinces=[tehran, alborz, factories.province("isfahan")])

    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP, locale="fa-IR")
    try:
        desk = context.new_page()
        reports = collect_csp_reports(desk)
        log_in(desk, coordinator.mobile)
        desk.goto("/coordinator/reports/")
        section = desk.get_by_test_id("province-map")
        expect(section.locator("svg [data-province]")).to_have_count(31)
        section.screenshot(path=str(artifacts_dir / "province-map-dashboard.png"))

        section.locator("svg a[data-province=alborz]").click()
        expect(desk.get_by_test_id("dashboard-scope")).to_contain_text("البرز")

        desk.goto("/coordinator/reports/?map=capacity")
        expect(desk.locator("#province-map a[aria-current=true]")).to_have_attribute("data-measure", "capacity")

        desk.goto("/results/")
        public = desk.get_by_test_id("province-map")
        expect(public.locator("svg [data-province]")).to_have_count(31)
        expect(public.locator("svg [data-province=tehran]")).to_have_attribute("data-state", "hidden")
        public.screenshot(path=str(artifacts_dir / "province-map-public.png"))
        assert reports == []
    finally:
        context.close()
