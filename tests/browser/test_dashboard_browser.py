"""A coordinator opens her dashboard on a laptop and a phone, filters by province and period, downloads the report."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core import jalali
from core.persian import group_thousands, to_persian_digits
from production.services.quotas import output_report

from .. import factories
from .conftest import PHONE_LOCALE, PHONE_VIEWPORT

LAPTOP = {"width": 1366, "height": 800}


def production_in(province_code: str, units: int):
    """An order in the province, funded in full, and a workshop there that made ``units`` today."""
    province = factories.province(province_code)
    order = factories.fund_order(
        factories.OrderFactory(health_center=factories.HealthCenterFactory(province=province), quantity=500)
    )
    workshop = factories.WorkshopFactory(province=province)
    quota = factories.QuotaFactory(order=order, workshop=workshop, quantity=200)
    output_report(quota=quota, owner=workshop.owner, quantity=units, idempotency_key=uuid.uuid4())
    return province


def log_in(page: Page, mobile: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", to_persian_digits(mobile))
    page.fill("#id_password", factories.TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()


@pytest.mark.browser
def test_coordinator_filters_the_dashboard_on_laptop_and_phone_and_downloads_the_report(
    page: Page, browser, live_server, artifacts_dir, tmp_path
):
    tehran = production_in("tehran", 37)
    alborz = production_in("alborz", 11)
    coordinator = factories.CoordinatorFactory(provinces=[tehran, alborz])
    today = timezone.localdate()
    start = jalali.format_short(today - dt.timedelta(days=6), persian=True)
    end = jalali.format_short(today, persian=True)

    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP, locale="fa-IR")
    try:
        desk = context.new_page()
        log_in(desk, coordinator.mobile)
        desk.locator("header a[href='/coordinator/reports/']").click()
        expect(desk.get_by_test_id("headline")).to_contain_text(to_persian_digits("48"))  # 37 + 11 produced

        # Filter: Tehran, the last seven days typed with Persian digits.
        filters = desk.get_by_test_id("dashboard-filters")
        filters.locator("select[name=province]").select_option(str(tehran.pk))
        filters.locator("input[name=from]").fill(start)
        filters.locator("input[name=to]").fill(end)
        filters.locator("button[type=submit]").click()
        desk.wait_for_url(re.compile(rf"province={tehran.pk}"))
        expect(desk.get_by_test_id("dashboard-scope")).to_contain_text(tehran.name_fa)
        expect(desk.get_by_test_id("headline")).to_contain_text(to_persian_digits("37"))
        expect(desk.get_by_test_id("province-table")).not_to_contain_text(alborz.name_fa)
        desk.screenshot(path=str(artifacts_dir / "dashboard-laptop.png"), full_page=True)
        filtered_url = desk.url

        # The thematic report for the same province and period, prepared and downloaded.
        desk.get_by_test_id("thematic-for-period").click()
        desk.get_by_test_id("start-thematic-report").click()
        expect(desk.get_by_test_id("thematic-ready")).to_be_visible()
        with desk.expect_download() as download_info:
            desk.get_by_test_id("download-pdf").click()
        report = tmp_path / "report.pdf"
        download_info.value.save_as(report)
        assert report.read_bytes().startswith(b"%PDF")
    finally:
        context.close()

    # The same filtered dashboard on a phone: readable, and the page itself never scrolls sideways.
    phone_context = browser.new_context(base_url=live_server.url, viewport=PHONE_VIEWPORT, locale=PHONE_LOCALE)
    try:
        phone = phone_context.new_page()
        log_in(phone, coordinator.mobile)
        phone.goto(filtered_url)
        expect(phone.get_by_test_id("headline")).to_contain_text(to_persian_digits("37"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
        phone.screenshot(path=str(artifacts_dir / "dashboard-phone.png"), full_page=True)
    finally:
        phone_context.close()


@pytest.mark.browser
def test_headline_figures_in_billions_of_rials_stay_inside_their_cards_on_a_phone(page: Page, browser, live_server):
    province = factories.province("tehran")
    order = factories.OrderFactory(health_center=factories.HealthCenterFactory(province=province), quantity=2_000_000)
    order = factories.fund_order(order)
    assert order.budget_rials >= 10**11  # twelve digits and more, with their separators
    coordinator = factories.CoordinatorFactory(provinces=[province])

    context = browser.new_context(base_url=live_server.url, viewport=PHONE_VIEWPORT, locale=PHONE_LOCALE)
    try:
        phone = context.new_page()
        log_in(phone, coordinator.mobile)
        phone.goto("/coordinator/reports/")
        funded = phone.locator("[data-figure=funded]")
        expect(funded).to_have_text(group_thousands(order.budget_rials, persian=True))
        spilling = phone.evaluate(
            """() => [...document.querySelectorAll('[data-testid=headline] .card *')]
                .filter(e => {
                    const card = e.closest('.card').getBoundingClientRect(), box = e.getBoundingClientRect();
                    return e.scrollWidth > e.clientWidth + 1 || box.left < card.left || box.right > card.right;
                })
                .map(e => e.textContent.trim())"""
        )
        assert spilling == []
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    finally:
        context.close()
