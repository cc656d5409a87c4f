"""The site menu folds behind "Menu" on a 360 px phone (a <details>, no JavaScript) and shows in full on a laptop."""

import pytest
from playwright.sync_api import Browser, Page, expect

from core.persian import to_persian_digits

from .. import factories
from .conftest import PHONE_LOCALE, PHONE_VIEWPORT

LAPTOP = {"width": 1280, "height": 800}
# Brand plus the "Menu" button on one line; the unfolded coordinator menu wrapped to five lines (over 300 px).
CLOSED_HEADER_MAX_HEIGHT = 120


def open_english_tab(browser: Browser, live_server, viewport: dict) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=PHONE_LOCALE)
    context.add_cookies([{"name": "hamdeli_language", "value": "en", "url": live_server.url}])
    return context.new_page()


def log_in(page: Page, mobile: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", to_persian_digits(mobile))
    page.fill("#id_password", factories.TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("logout")).to_be_attached()


def menu_entries(page: Page):
    return page.locator("header nav.site-nav").locator("a, button")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_on_a_phone_sees_a_short_header_opens_the_menu_from_the_keyboard_and_follows_a_link(
    browser: Browser, live_server
):
    coordinator = factories.CoordinatorFactory()
    page = open_english_tab(browser, live_server, PHONE_VIEWPORT)
    try:
        log_in(page, coordinator.mobile)
        page.goto("/")

        header = page.locator("header.site-header")
        assert header.bounding_box()["height"] <= CLOSED_HEADER_MAX_HEIGHT
        toggle = page.get_by_test_id("menu-toggle")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_accessible_name("Menu")
        entries = menu_entries(page)
        assert entries.count() >= 12  # eleven desk pages, products, name, log out, language
        for index in range(entries.count()):
            expect(entries.nth(index)).to_be_hidden()

        toggle.focus()
        page.keyboard.press("Enter")

        expect(page.get_by_test_id("site-menu")).to_have_attribute("open", "")
        for index in range(entries.count()):
            entry = entries.nth(index)
            expect(entry).to_be_visible()
            box = entry.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_VIEWPORT["width"], entry.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
        page.keyboard.press("Tab")
        expect(entries.first).to_be_focused()  # the links come right after the button in tab order

        page.get_by_role("link", name="Orders", exact=True).click()

        expect(page).to_have_url(f"{live_server.url}/orders/")
        expect(page.get_by_test_id("menu-toggle")).to_be_visible()
        expect(page.get_by_role("link", name="Orders", exact=True)).to_be_hidden()  # folded again on the new page
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_on_a_laptop_sees_every_menu_link_without_opening_anything(browser: Browser, live_server):
    coordinator = factories.CoordinatorFactory()
    page = open_english_tab(browser, live_server, LAPTOP)
    try:
        log_in(page, coordinator.mobile)
        page.goto("/")

        expect(page.get_by_test_id("menu-toggle")).to_be_hidden()
        entries = menu_entries(page)
        for index in range(entries.count()):
            expect(entries.nth(index)).to_be_visible()

        page.get_by_role("link", name="Dashboard", exact=True).click()

        expect(page).to_have_url(f"{live_server.url}/coordinator/reports/")
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_menu_button_sits_at_the_left_in_persian_and_at_the_right_in_english(page: Page, live_server):
    page.goto("/")  # Persian, right to left: the brand on the right, the button on the left
    brand, toggle = page.locator("header .brand").bounding_box(), page.get_by_test_id("menu-toggle").bounding_box()
    assert toggle["x"] + toggle["width"] <= PHONE_VIEWPORT["width"] / 2 < brand["x"]

    page.get_by_test_id("menu-toggle").click()
    page.get_by_test_id("switch-language").click()

    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    brand, toggle = page.locator("header .brand").bounding_box(), page.get_by_test_id("menu-toggle").bounding_box()
    assert brand["x"] + brand["width"] <= PHONE_VIEWPORT["width"] / 2 < toggle["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
