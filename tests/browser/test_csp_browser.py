"""The pages still work in Chromium under the strict Content-Security-Policy.

Chromium reports every blocked script, stylesheet or inline style on the
console ("… violates the following Content Security Policy directive …"); the
test collects those reports while a visitor, a receiver and a coordinator use
their pages, and checks the moved stylesheets really apply.
"""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from fulfilment.models import DeliveryStatus
from fulfilment.receiving_links import confirmation_path
from orders.models import OrderStatus
from tests import factories


def collect_csp_reports(page: Page) -> list[str]:
    reports: list[str] = []
    page.on(
        "console",
        lambda message: reports.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return reports


@pytest.mark.browser
def test_home_receiving_and_dashboard_pages_render_without_a_policy_violation(page: Page):
    order = factories.OrderFactory(status=OrderStatus.IN_PRODUCTION, quantity=100, product=factories.product())
    delivery = factories.DeliveryFactory(health_center=order.health_center, status=DeliveryStatus.DISPATCHED)
    factories.DeliveryLineFactory(delivery=delivery, units=30)
    coordinator = factories.CoordinatorFactory()
    reports = collect_csp_reports(page)

    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("body")).to_be_visible()

    # The receiver's page: its rules now come from static/css/receiving.css, not an inline <style>.
    page.goto(confirmation_path(delivery))
    expect(page.locator("[name=receiver_name]")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.receiving')).maxWidth") == "512px"

    # Logging in posts a form (form-action 'self') and lands on the coordinator's pages.
    page.goto("/accounts/login/")
    page.fill("#id_username", coordinator.mobile)
    page.fill("#id_password", factories.TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()  # the login button, not the language switch above it
    page.wait_for_load_state()
    dashboard = page.goto("/coordinator/reports/")
    assert dashboard.status == 200 and urlparse(page.url).path == "/coordinator/reports/"  # logged in, not sent back
    expect(page.locator("h1").first).to_be_visible()

    assert reports == [], "\n".join(reports)
