"""A donor's whole journey on a phone, with the coordinator on a laptop.

She signs up from the home page, pledges to an order typing Persian digits, is
told where to pay and the short reference to quote, the coordinator finds the
pledge by that reference and confirms the payment, she downloads her receipt (a real PDF with
its number), and once the goods made with her money reach the health center
she sees the trace down to the delivery sheet number.
"""

import shutil
import subprocess
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.persian import to_latin_digits, to_persian_digits
from donors.models import PaymentAccount, Pledge, PledgeStatus
from fulfilment.services.collection import PickupLineInput, pickup_record
from fulfilment.services.deliveries import delivery_create, delivery_dispatch
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from orders.models import OrderStatus
from production.services.quotas import output_report

from .. import factories

DONOR_MOBILE_FA = "۰۹۱۹۸۷۶۵۴۳۲"
DONOR_PASSWORD = "Hamdeli-give-1405"
LAPTOP = {"width": 1280, "height": 800}
SHEBA = "IR820540102680020817909002"


def submit(page: Page) -> None:
    page.locator("main form button[type=submit]").last.click()


def log_in(page: Page, mobile: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", mobile)
    page.fill("#id_password", password)
    submit(page)


def goods_reach_the_health_center(order, coordinator) -> str:
    """A workshop makes 100 units, the coordinator collects and delivers them, the center confirms: the sheet code."""
    workshop = factories.WorkshopFactory(name="کارگاه مهرانه", public_name_consent=True, province=factories.province())
    quota = factories.QuotaFactory(order=order, workshop=workshop, quantity=100)
    output_report(quota=quota, owner=workshop.owner, quantity=100, idempotency_key=uuid.uuid4())
    quota.refresh_from_db()
    today = timezone.localdate()
    pickup_record(
        workshop=workshop,
        pickup_date=today,
        lines=[PickupLineInput(quota=quota, collected_units=100, accepted_units=100)],
        actor=coordinator,
    )
    quota.refresh_from_db()
    delivery = delivery_create(
        health_center=order.health_center,
        planned_date=today,
        lines=[(quota, 100)],
        actor=coordinator,
        courier_name="رضا پیک",
    )
    delivery_dispatch(delivery=delivery, actor=coordinator)
    line = delivery.lines.get()
    delivery_confirm(
        delivery=delivery,
        lines={line.pk: ReceivedLine(received_units=100)},
        receiver_name="زهرا انباردار",
        receiver_role="انباردار",
    )
    return delivery.code


@pytest.mark.browser
def test_donor_pledges_coordinator_confirms_donor_downloads_the_receipt_and_traces_a_delivery(
    page: Page, browser, live_server, artifacts_dir, tmp_path
):
    coordinator = factories.CoordinatorFactory(full_name="هماهنگ‌کننده تهران")
    PaymentAccount.objects.create(
        holder_name="انجمن همدلی", bank_name="بانک ملی", sheba=SHEBA, card_number="6037991234567893"
    )
    order = factories.OrderFactory(quantity=1000, status=OrderStatus.OPEN)  # 60,000,000 rials of masks

    # 1. Sign up from the home page, on a phone; Persian digits in the mobile number.
    page.goto("/")
    page.get_by_test_id("menu-toggle").click()  # on a phone the menu is folded behind "Menu"
    page.locator("header a[href='/giving/']").click()
    page.get_by_role("link", name="نیکوکار شوید").click()
    page.fill("#id_mobile", DONOR_MOBILE_FA)
    page.fill("#id_full_name", "مریم احمدی")
    page.fill("#id_password1", DONOR_PASSWORD)
    page.fill("#id_password2", DONOR_PASSWORD)
    submit(page)
    expect(page).to_have_url(f"{live_server.url}/giving/")

    # 2. Pledge fifty million rials to the order, typed the Persian way.
    page.get_by_test_id("board-order").first.get_by_test_id("give").click()  # the pledge, not "pay online"
    page.fill("#id_amount_rials", "۵۰٬۰۰۰٬۰۰۰")
    submit(page)
    pledge = Pledge.objects.get(donor__user__mobile="09198765432")
    assert pledge.amount_rials == 50_000_000

    # 2b. She is told where to pay and the short reference to quote (a code, Latin like every code), on her phone.
    expect(page).to_have_url(f"{live_server.url}/giving/mine/{pledge.pk}/pay/")
    expect(page.get_by_test_id("pledge-reference")).to_have_text(pledge.reference)
    expect(page.get_by_test_id("payment-sheba")).to_have_text(to_persian_digits("IR82 0540 1026 8002 0817 9090 02"))
    expect(page.get_by_test_id("payment-card")).to_have_text(to_persian_digits("6037 9912 3456 7893"))
    expect(page.get_by_test_id("pay-amount")).to_contain_text("۵۰٬۰۰۰٬۰۰۰")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing to scroll sideways at 360 px
    page.screenshot(path=str(artifacts_dir / "donor-journey-how-to-pay.png"), full_page=True)
    # ... and finds the instructions again later from "My giving".
    page.goto("/giving/mine/")
    expect(page.get_by_test_id("my-pledge")).to_contain_text("۵۰٬۰۰۰٬۰۰۰")
    page.get_by_test_id("how-to-pay").click()
    expect(page.get_by_test_id("pledge-reference")).to_have_text(pledge.reference)
    page.goto("/giving/mine/")

    # 3. The coordinator confirms the payment from the donations desk on her laptop.
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP, locale="fa-IR")
    try:
        desk = context.new_page()
        log_in(desk, to_persian_digits(coordinator.mobile), factories.TEST_PASSWORD)
        desk.locator("header a[href='/coordinator/donations/']").click()
        # She finds the pledge by the reference the donor quoted, typed in Persian digits.
        desk.locator("details.order-filter-panel summary").click()
        desk.fill("#id_reference", to_persian_digits(pledge.reference))
        desk.locator("#id_reference").press("Enter")
        expect(desk.locator("table.pledge-table tbody tr")).to_have_count(1)
        desk.locator(f"a[href='/coordinator/donations/{pledge.pk}/']").first.click()
        expect(desk.get_by_test_id("pledge-reference")).to_have_text(pledge.reference)
        desk.fill("#id_confirm-bank_reference", "۷۷۱۲۳")
        desk.get_by_test_id("action-confirm").click()
        expect(desk.get_by_test_id("ledger-entry")).to_have_count(1)
        desk.screenshot(path=str(artifacts_dir / "donor-journey-coordinator-confirmed.png"), full_page=True)
    finally:
        context.close()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.RECEIVED
    order.refresh_from_db()
    assert order.status == OrderStatus.FUNDED

    # 4. The donor downloads her receipt: a PDF carrying its RCP number.
    page.reload()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="دریافت رسید").click()
    receipt_path = tmp_path / "receipt.pdf"
    download_info.value.save_as(receipt_path)
    assert receipt_path.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed to read the receipt"
    text = subprocess.run([pdftotext, str(receipt_path), "-"], capture_output=True, text=True, check=True).stdout
    assert pledge.receipt.number in to_latin_digits(text)
    assert "77123" in to_latin_digits(text)  # the bank's reference of her payment

    # 5. Later: the goods are made, collected, delivered and confirmed; her trace reaches the sheet number.
    code = goods_reach_the_health_center(order, coordinator)
    page.reload()
    trace = page.get_by_test_id("trace")
    expect(trace).to_contain_text(code)  # codes are Latin everywhere
    expect(trace).to_contain_text(str(order.health_center))
    expect(trace).to_contain_text("کارگاه مهرانه")
    page.screenshot(path=str(artifacts_dir / "donor-journey-trace.png"), full_page=True)
