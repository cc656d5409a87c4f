"""A workshop owner reports her day's output with no connection, and it is counted once when she is back online.

Her phone (Chromium, 360 px) has opened the quota page once, which installs the service worker. Offline, the
report form keeps the report in the phone's IndexedDB and says so; the page still opens from the phone's copy;
when the connection returns the report is posted with its idempotency key and counted exactly once.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core import jalali
from core.persian import to_persian_digits
from production.models import OutputReport

from .. import factories

SAVED_ON_PHONE = "روی گوشی شما ذخیره شد"  # "Saved on your phone; it will be sent when you are online."
WAITING = "در انتظار فرستادن"  # "waiting to be sent"
SENT = "فرستاده شد"  # "sent"
OFFLINE_COPY = "اینترنت وصل نیست"  # "You are offline: this is the copy saved on your phone at …"


def open_quota_page_with_the_app_installed(page: Page, quota) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", to_persian_digits(quota.workshop.owner.mobile))
    page.fill("#id_password", factories.TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/")
    page.goto(f"/workshop/quotas/{quota.pk}/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # The worker keeps a copy of the page that installed it once it is active.
    page.wait_for_function(
        "caches.open('owner-pages').then((c) => c.match(location.href, {ignoreVary: true})).then(Boolean)"
    )


@pytest.mark.browser
def test_a_report_made_offline_waits_on_the_phone_and_is_counted_once_back_online(page: Page, artifacts_dir):
    quota = factories.QuotaFactory()
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    open_quota_page_with_the_app_installed(page, quota)

    page.context.set_offline(True)
    page.fill("#id_quantity", "۱۷")
    page.locator("#report form button[type=submit]").click()
    queue = page.locator("#offline-queue")
    expect(queue).to_contain_text(SAVED_ON_PHONE)
    expect(queue.locator("li")).to_have_count(1)
    expect(queue.locator("li")).to_contain_text(WAITING)

    # Still offline, she opens the page again: the phone's copy, saying so, with her waiting report.
    page.reload()
    expect(page.locator("h1")).to_have_text(str(quota.order.product))
    expect(page.locator(".offline-banner")).to_contain_text(OFFLINE_COPY)
    # The copy's day field says today (the copy may be from an earlier day), as the server writes it.
    expect(page.locator("#id_report_date")).to_have_value(jalali.format_short(timezone.localdate(), persian=True))
    expect(queue.locator("li")).to_contain_text("۱۷")
    expect(queue.locator("li")).to_contain_text(WAITING)
    page.screenshot(path=artifacts_dir / "offline-report-waiting.png", full_page=True)
    assert not OutputReport.objects.filter(quota=quota).exists()

    page.context.set_offline(False)
    expect(queue.locator("li")).to_contain_text(SENT)
    assert list(OutputReport.objects.filter(quota=quota).values_list("quantity", flat=True)) == [17]
    # The total on the page is brought up to date without reloading.
    expect(page.locator("#progress")).to_contain_text("۱۷")

    # Opening the page again sends nothing more.
    page.reload()
    expect(page.locator("h1")).to_have_text(str(quota.order.product))
    page.wait_for_timeout(500)
    assert OutputReport.objects.filter(quota=quota).count() == 1
    # Offline, the failed fetches are reported on the console; a blocked script or worker would be too.
    assert not [text for text in console if "Content Security Policy" in text], console

    # She logs out: whoever uses the phone next finds none of her pages kept on it.
    page.get_by_test_id("menu-toggle").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/")
    page.wait_for_function("caches.open('owner-pages').then((c) => c.keys()).then((keys) => keys.length === 0)")


@pytest.mark.browser
def test_a_double_tap_offline_keeps_one_report(page: Page):
    quota = factories.QuotaFactory()
    open_quota_page_with_the_app_installed(page, quota)

    page.context.set_offline(True)
    page.fill("#id_quantity", "۹")
    page.locator("#report form button[type=submit]").dblclick()
    page.evaluate("document.querySelector('[data-offline-report]').requestSubmit()")  # and once more
    expect(page.locator("#offline-queue")).to_contain_text(SAVED_ON_PHONE)
    expect(page.locator("#offline-queue li")).to_have_count(1)

    page.context.set_offline(False)
    expect(page.locator("#offline-queue li")).to_contain_text(SENT)
    page.reload()  # the load sends whatever still waits: nothing does
    expect(page.locator("h1")).to_have_text(str(quota.order.product))
    page.wait_for_timeout(500)
    assert list(OutputReport.objects.filter(quota=quota).values_list("quantity", flat=True)) == [9]


@pytest.mark.browser
def test_a_report_the_server_refuses_is_shown_with_its_reason_and_not_lost(page: Page, artifacts_dir):
    quota = factories.QuotaFactory(quantity=100)
    open_quota_page_with_the_app_installed(page, quota)

    page.context.set_offline(True)
    page.fill("#id_quantity", "۵۰۰")  # over the quota and its 5% margin
    page.locator("#report form button[type=submit]").click()
    expect(page.locator("#offline-queue")).to_contain_text(SAVED_ON_PHONE)

    page.context.set_offline(False)
    refused = page.locator("#offline-queue li")
    expect(refused).to_contain_text("ثبت نشد")  # "not recorded:" and the server's reason
    page.screenshot(path=artifacts_dir / "offline-report-refused.png", full_page=True)
    expect(refused).to_contain_text("۱۰۵")  # the server's own words: at most 105 units (the quota plus 5%)
    assert not OutputReport.objects.filter(quota=quota).exists()
    page.reload()
    expect(refused).to_contain_text("ثبت نشد")  # still there until she removes it
    refused.locator("button").click()
    expect(refused).to_have_count(0)


@pytest.mark.browser
def test_a_phone_that_says_it_is_online_but_cannot_reach_the_site_keeps_the_report(page: Page):
    quota = factories.QuotaFactory()
    open_quota_page_with_the_app_installed(page, quota)

    # A network without internet: navigator.onLine stays true, but the site does not answer.
    page.context.route("**/manifest.webmanifest", lambda route: route.abort("internetdisconnected"))
    page.fill("#id_quantity", "۱۲")
    page.locator("#report form button[type=submit]").click()
    expect(page.locator("#offline-queue")).to_contain_text(SAVED_ON_PHONE)
    assert not OutputReport.objects.filter(quota=quota).exists()

    page.context.unroute("**/manifest.webmanifest")
    page.reload()  # opening the page again sends what waits
    expect(page.locator("#offline-queue li")).to_contain_text(SENT)
    assert list(OutputReport.objects.filter(quota=quota).values_list("quantity", flat=True)) == [12]


@pytest.mark.browser
def test_online_the_report_form_posts_as_it_always_did(page: Page):
    quota = factories.QuotaFactory()
    open_quota_page_with_the_app_installed(page, quota)

    page.fill("#id_quantity", "۸")
    page.locator("#report form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("۸")  # the server's "Recorded 8 units…" after its redirect
    expect(page.locator("#offline-queue")).to_be_hidden()
    assert list(OutputReport.objects.filter(quota=quota).values_list("quantity", flat=True)) == [8]
