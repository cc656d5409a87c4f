"""A donor pays online on a 360 px phone through the project's mock bank, end to end.

From the funding board she chooses an order, types the amount in Persian digits, presses "Pay" on the bank's
page, comes back to the result page (paid, in Persian) and finds the gift, received, in "My giving". The server
talks to the mock bank over real HTTP (the live server calls itself), as it would to Zarinpal.
"""

import pytest
from playwright.sync_api import Page, expect

from core.persian import to_persian_digits
from donors.models import LedgerEntry, OnlinePayment, PledgeStatus
from donors.online import mock_bank
from orders.models import OrderStatus

from .. import factories


@pytest.mark.browser
def test_a_donor_pays_an_order_online_on_her_phone_and_sees_it_received_in_my_giving(page: Page, live_server):
    mock_bank.reset()
    order = factories.OrderFactory(status=OrderStatus.OPEN)
    donor = factories.DonorFactory().user
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto("/accounts/login/")
    page.fill("#id_username", to_persian_digits(donor.mobile))
    page.fill("#id_password", factories.TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto("/giving/")
    page.get_by_test_id("board-order").first.get_by_test_id("give-online").click()
    expect(page.get_by_test_id("online-gateways")).to_be_visible()
    page.fill("#id_amount_rials", "۵٬۰۰۰٬۰۰۰")
    page.get_by_test_id("online-pay").click()

    # The bank's page (the mock bank speaking Zarinpal v4), within the site's strict CSP.
    expect(page.get_by_test_id("mock-bank")).to_be_visible()
    expect(page.get_by_test_id("mock-bank-amount")).to_contain_text("۵٬۰۰۰٬۰۰۰")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_test_id("mock-bank-pay").click()

    result = page.get_by_test_id("online-result")
    expect(result).to_have_attribute("data-status", "paid")
    expect(result).to_contain_text("سپاس")
    expect(page.get_by_test_id("online-amount")).to_contain_text("۵٬۰۰۰٬۰۰۰")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    payment = OnlinePayment.objects.get()
    assert payment.pledge.status == PledgeStatus.RECEIVED and payment.pledge.order == order
    assert LedgerEntry.objects.filter(pledge=payment.pledge).count() == 1

    page.goto("/giving/mine/")
    expect(page.get_by_test_id("my-pledge").first).to_contain_text("۵٬۰۰۰٬۰۰۰")
    assert not [error for error in errors if "Content Security Policy" in error], errors
