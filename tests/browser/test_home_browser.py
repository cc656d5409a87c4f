"""The home page in a real browser: Persian and right-to-left in Vazirmatn, English on request, login."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from core.models import Product

DEMO_NATIONAL_COORDINATOR_MOBILE_FA = "۰۹۱۲۰۰۰۰۰۰۱"  # 09120000001 as typed on a Persian keyboard
DEMO_NATIONAL_COORDINATOR_NAME = "زهرا احمدی"

FONT_STATE_JS = """async () => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter((face) => face.family.replace(/["']/g, "") === "Vazirmatn");
  return {
    loadedWeights: faces.filter((face) => face.status === "loaded").map((face) => face.weight),
    bodyFontFamily: getComputedStyle(document.body).fontFamily,
    check16px: document.fonts.check("16px Vazirmatn"),
  };
}"""


def html_lang_and_dir(page: Page) -> tuple[str, str]:
    return tuple(page.evaluate("[document.documentElement.lang, document.documentElement.dir]"))


def rendered_font_families(page: Page, selector: str) -> set[str]:
    """Families Chromium actually drew the text of ``selector`` with (DevTools' "Rendered Fonts")."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return {font["familyName"] for font in fonts}


@pytest.mark.browser
def test_home_page_is_persian_right_to_left_and_drawn_in_vazirmatn(page: Page):
    product = Product.objects.filter(is_active=True).first()

    page.goto("/")

    assert html_lang_and_dir(page) == ("fa", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.get_by_text(product.name_fa, exact=True)).to_be_visible()

    fonts = page.evaluate(FONT_STATE_JS)
    assert fonts["loadedWeights"], "no Vazirmatn @font-face was loaded"
    assert fonts["bodyFontFamily"].replace('"', "").replace("'", "").startswith("Vazirmatn,"), fonts
    assert fonts["check16px"] is True
    assert rendered_font_families(page, ".card strong") == {"Vazirmatn"}


@pytest.mark.browser
def test_language_switch_turns_the_page_english_and_left_to_right(page: Page):
    page.goto("/")
    assert html_lang_and_dir(page) == ("fa", "rtl")

    page.get_by_test_id("menu-toggle").click()  # on a phone the menu is folded behind "Menu"
    page.get_by_test_id("switch-language").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    page.get_by_test_id("menu-toggle").click()
    expect(page.get_by_role("link", name="Log in", exact=True).first).to_be_visible()
    expect(page.get_by_test_id("switch-language")).to_have_text("فارسی")


@pytest.mark.browser
def test_demo_coordinator_logs_in_with_persian_digits_and_her_desk_fits_a_360px_phone(
    page: Page, live_server, settings, artifacts_dir
):
    # Demo accounts exist, and may log in, only while DEBUG is on; the live
    # server thread reads the setting at request time.
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(DEMO_NATIONAL_COORDINATOR_MOBILE_FA)
    page.locator("input[name=password]").fill(settings.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/")
    header = page.locator("header.site-header")
    expect(header).to_contain_text(DEMO_NATIONAL_COORDINATOR_NAME)
    page.get_by_test_id("menu-toggle").click()  # on a phone the menu is folded behind "Menu"
    expect(header.get_by_test_id("logout")).to_be_visible()
    expect(page.locator("main table.table tbody tr").first).to_be_visible()
    assert html_lang_and_dir(page) == ("fa", "rtl")

    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=artifacts_dir / "home-360.png")
    page.screenshot(path=artifacts_dir / "home-360-full.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
def test_a_visitor_on_a_phone_sees_the_three_doors_with_nothing_cut_off_and_can_enter_a_code(page: Page, artifacts_dir):
    page.goto("/")

    doors = [page.get_by_test_id(name) for name in ("door-workshop", "door-give", "door-received")]
    for door in doors:
        expect(door).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts_dir / "home-doors-360.png"), full_page=True)

    doors[2].click()

    expect(page.locator("[name=code]")).to_be_visible()  # the page where the sheet's code is typed
