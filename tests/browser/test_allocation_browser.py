"""The coordinator previews an allocation, commits it, and the workshop owner finds the offer in her inbox."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.persian import to_persian_digits
from orders.models import OrderStatus
from production.models import Quota, QuotaStatus
from workshops.models import WorkshopCapacity

from .. import factories
from .conftest import PHONE_LOCALE


def log_in(page: Page, user) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", to_persian_digits(user.mobile))
    page.fill("#id_password", factories.TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()


@pytest.mark.browser
def test_coordinator_previews_and_commits_and_the_workshop_receives_the_offer(page: Page, browser, live_server):
    coordinator = factories.CoordinatorFactory()
    order = factories.OrderFactory(
        quantity=240, status=OrderStatus.FUNDED, needed_by=timezone.localdate() + dt.timedelta(days=30)
    )
    factories.fund_order(order)
    workshop = factories.WorkshopFactory(name="کارگاه پروانه")
    WorkshopCapacity.objects.create(workshop=workshop, product=order.product, units_per_day=60)

    desk = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale=PHONE_LOCALE)
    try:
        coordinator_page = desk.new_page()
        log_in(coordinator_page, coordinator)
        coordinator_page.locator("header a[href='/orders/allocation/']").click()
        coordinator_page.locator("button[name=preview]").click()
        plan = coordinator_page.get_by_test_id("plan-order")
        expect(plan).to_contain_text("کارگاه پروانه")
        expect(plan).to_contain_text("۲۴۰")
        assert not Quota.objects.exists()  # a preview writes nothing

        coordinator_page.get_by_test_id("commit-plan").click()
        expect(coordinator_page.get_by_test_id("allocated-units")).to_have_text("۲۴۰")
    finally:
        desk.close()
    quota = Quota.objects.get()
    assert (quota.workshop, quota.quantity, quota.status) == (workshop, 240, QuotaStatus.OFFERED)

    log_in(page, workshop.owner)
    page.get_by_test_id("menu-toggle").click()  # on a phone the menu is folded behind "Menu"
    page.locator("header a[href='/workshop/quotas/']").click()
    expect(page.get_by_test_id("offer")).to_contain_text("۲۴۰")
