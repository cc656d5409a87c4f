"""A new workshop owner's whole journey on a 360 px phone, with the coordinator in a second browser.

She signs up typing Persian digits, sets her capacity, is verified by her
provincial coordinator, accepts an offered quota, reports output twice
(correcting the second report the same day) and sees her progress and pay.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core import jalali
from core.persian import to_persian_digits
from orders.models import OrderStatus
from production.models import Quota, QuotaStatus
from production.services.quotas import quota_offer
from workshops.models import Workshop, WorkshopStatus

from .. import factories
from .conftest import PHONE_LOCALE, PHONE_VIEWPORT

OWNER_MOBILE_FA = "۰۹۳۵۱۲۳۴۵۶۷"
OWNER_PASSWORD = "Sew-with-care-1405"
NATIONAL_ID_FA = "۰۰۱۳۵۴۲۴۱۹"
SHEBA_FA = "IR۸۲ ۰۵۴۰ ۱۰۲۶ ۸۰۰۲ ۰۸۱۷ ۹۰۹۰ ۰۲"


def submit(page: Page) -> None:
    page.locator("main form button[type=submit]").last.click()


@pytest.mark.browser
def test_new_owner_signs_up_is_verified_accepts_a_quota_and_reports_output(
    page: Page, browser, live_server, artifacts_dir
):
    coordinator = factories.CoordinatorFactory(full_name="هماهنگ‌کننده تهران")
    mask = factories.product("surgical-mask-3ply")
    order = factories.OrderFactory(product=mask, status=OrderStatus.FUNDED, quantity=5000)
    tehran = factories.capital("tehran")

    # 1. Sign-up, reached by clicking from the home page; Persian digits everywhere.
    page.goto("/")
    page.get_by_test_id("menu-toggle").click()  # on a phone the menu is folded behind "Menu"
    page.locator("header a[href='/signup/']").click()
    page.fill("#id_mobile", OWNER_MOBILE_FA)
    page.fill("#id_full_name", "سمانه نوری")
    page.fill("#id_password1", OWNER_PASSWORD)
    page.fill("#id_password2", OWNER_PASSWORD)
    submit(page)
    expect(page).to_have_url(f"{live_server.url}/workshop/register/")

    page.fill("#id_name", "کارگاه نور")
    page.fill("#id_national_id", NATIONAL_ID_FA)
    page.select_option("#id_city", str(tehran.pk))
    page.fill("#id_address", "تهران، خیابان آزادی، کوچه ۵")
    submit(page)
    expect(page).to_have_url(f"{live_server.url}/workshop/bank/")

    page.fill("#id_sheba", SHEBA_FA)
    page.fill("#id_sewing_machines", "۲")
    page.fill("#id_workers", "۳")
    submit(page)

    page.fill(f"#id_product_{mask.pk}", "۲۰۰")
    page.screenshot(path=artifacts_dir / "journey-1-capacity.png", full_page=True)
    submit(page)
    expect(page).to_have_url(f"{live_server.url}/")
    workshop = Workshop.objects.get(owner__mobile="09351234567")
    assert workshop.national_id == "0013542419"
    assert workshop.sheba == "IR820540102680020817909002"
    assert workshop.daily_rates() == {mask.pk: 200}
    assert workshop.status == WorkshopStatus.PENDING
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]

    # 2. The coordinator verifies the new workshop from her workshop list.
    desk = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale=PHONE_LOCALE)
    try:
        coordinator_page = desk.new_page()
        coordinator_page.goto("/accounts/login/")
        coordinator_page.fill("#id_username", to_persian_digits(coordinator.mobile))
        coordinator_page.fill("#id_password", factories.TEST_PASSWORD)
        submit(coordinator_page)
        coordinator_page.locator("header a[href='/coordinator/workshops/']").click()
        coordinator_page.get_by_role("link", name="کارگاه نور").click()
        coordinator_page.get_by_test_id("status-verify").click()
        expect(coordinator_page.get_by_test_id("status-suspend")).to_be_visible()
    finally:
        desk.close()
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.VERIFIED

    # 3. An offer arrives (the allocation engine makes these; here the service is called directly).
    quota_offer(order=order, workshop=workshop, quantity=100, due_date=order.needed_by, actor=coordinator)
    page.reload()
    page.get_by_test_id("menu-toggle").click()  # on a phone the menu is folded behind "Menu"
    page.locator("header a[href='/workshop/quotas/']").click()
    offer = page.get_by_test_id("offer")
    expect(offer).to_contain_text("۱۰۰")
    page.screenshot(path=artifacts_dir / "journey-2-inbox.png", full_page=True)
    offer.locator("button[type=submit]").first.click()
    quota = Quota.objects.get(workshop=workshop)

    # 4. Accepting opens the quota; two reports today, the second corrected.
    expect(page).to_have_url(f"{live_server.url}/workshop/quotas/{quota.pk}/")
    quota.refresh_from_db()
    assert quota.status == QuotaStatus.ACCEPTED
    page.fill("#id_quantity", "۲۵")
    page.locator("#report button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("۲۵")
    page.fill("#id_quantity", "۱۰")
    page.locator("#report button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("۳۵")  # the new total
    second = quota.reports.order_by("-id").first()
    row = page.locator(f"#report-{second.pk}")
    row.locator("summary").click()
    row.locator("input[name$=quantity]").fill("۱۲")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#report-{second.pk}")).to_contain_text("۱۲")
    expect(page.locator("main")).to_contain_text("۳۷")
    quota.refresh_from_db()
    assert quota.produced_units == 37
    assert quota.reports.count() == 2
    page.screenshot(path=artifacts_dir / "journey-3-detail.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]

    # 5. History: every report and the pay so far (nothing accepted at collection yet).
    page.get_by_test_id("menu-toggle").click()  # on a phone the menu is folded behind "Menu"
    page.locator("header a[href='/workshop/history/']").click()
    reports = page.locator("main table")
    expect(reports).to_contain_text(jalali.format_short(timezone.localdate()))
    expect(reports).to_contain_text("۲۵")
    expect(reports).to_contain_text("۱۲")
    page.screenshot(path=artifacts_dir / "journey-4-history.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
