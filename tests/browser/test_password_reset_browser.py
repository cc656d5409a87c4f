"""A user who forgot her password gets a code by SMS, chooses a new one and logs in, on a 360 px phone in Persian."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.models import Role
from core.notifications import backends
from core.persian import to_persian_digits

from .. import factories

MOBILE_FA = "۰۹۱۲ ۳۴۵ ۶۷۸۹"  # 09123456789 as typed on a Persian keyboard
NEW_PASSWORD = "gol-e-maryam-1405"


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
def test_a_user_who_forgot_her_password_resets_it_with_the_sms_code_and_logs_in(page: Page, live_server, artifacts_dir):
    user = factories.UserFactory(mobile="09123456789", full_name="مریم کریمی", role=Role.WORKSHOP_OWNER)
    backends.outbox.clear()

    page.goto("/accounts/login/")
    page.get_by_test_id("forgot-password").click()
    expect(page.locator("h1")).to_have_text("گذرواژه را فراموش کرده‌اید؟")
    assert fits_the_phone(page)
    page.locator("input[name=mobile]").fill(MOBILE_FA)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/password/reset/code/")
    expect(page.locator("ul.messages")).to_contain_text("اگر این شماره حسابی داشته باشد")
    expect(page.locator("input[name=mobile]")).to_have_value("09123456789")
    assert [message.to for message in backends.outbox] == [user.mobile]
    code = re.search(r"[۰-۹]{6}", backends.outbox[0].text).group()
    page.locator("input[name=code]").fill(to_persian_digits(code))
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.screenshot(path=artifacts_dir / "password-reset-code-360.png", full_page=True)
    assert fits_the_phone(page)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("ul.messages")).to_contain_text("گذرواژه تازه‌تان ثبت شد")
    page.locator("input[name=username]").fill(MOBILE_FA)
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("header.site-header")).to_contain_text("مریم کریمی")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
    assert fits_the_phone(page)
