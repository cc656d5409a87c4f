"""The showcase and the owner's listing page on a 360 px phone: nothing wider than the screen, the photo shown
through its checked view, and the buyer's form without the hidden honeypot box."""

import pytest
from playwright.sync_api import Page, expect

from core.persian import to_persian_digits

from .. import factories

WIDTH = 360


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


@pytest.fixture
def listing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = factories.ListingFactory(
        shop_name="خیاطی نرگس با نامی نسبتاً بلند برای آزمودن شکستن سطر در کارت", description="روپوش " * 40
    )
    factories.ListingPhotoFactory(listing=listing)
    return listing


@pytest.mark.browser
def test_the_showcase_and_a_listing_fit_a_phone_and_show_the_photo(page: Page, listing, artifacts_dir):
    page.goto("/showcase/")
    expect(page.get_by_test_id("showcase-card")).to_have_count(1)
    photo = page.locator(".sales-cover")
    expect(photo).to_be_visible()
    assert page.evaluate("el => el.naturalWidth", photo.element_handle()) > 0
    no_sideways_scroll(page)
    page.screenshot(path=artifacts_dir / "showcase-list-360.png", full_page=True)

    page.get_by_role("link", name=listing.shop_name, exact=True).click()
    expect(page.get_by_test_id("inquiry-send")).to_be_visible()
    expect(page.locator("#id_website")).not_to_be_in_viewport()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts_dir / "showcase-detail-360.png", full_page=True)


@pytest.mark.browser
def test_the_owners_listing_page_fits_a_phone(page: Page, listing, artifacts_dir):
    page.goto("/accounts/login/")
    page.fill("#id_username", to_persian_digits(listing.workshop.owner.mobile))
    page.fill("#id_password", factories.TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("logout")).to_be_attached()
    page.goto("/workshop/listing/")
    expect(page.get_by_test_id("revoke")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=artifacts_dir / "owner-listing-360.png", full_page=True)
