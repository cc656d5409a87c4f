"""From accepted units to a disputed delivery, as the coordinator and the receiver would click through it.

The coordinator (laptop) finds a health center with accepted units, plans a
delivery, dispatches it and prints its sheet; the receiver (a phone, no login)
opens the link in the sheet's QR code, reports two units short and sees the
delivery disputed.
"""

import io
import re
import subprocess
import uuid

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from core.persian import to_persian_digits
from fulfilment.models import Delivery, DeliveryStatus
from fulfilment.services.collection import PickupLineInput, pickup_record
from production.services.quotas import output_report

from .. import factories
from ..pdf_tools import poppler
from .conftest import PHONE_LOCALE, PHONE_VIEWPORT

LAPTOP = {"width": 1280, "height": 800}


def accepted_units(coordinator, units: int):
    """A workshop made ``units`` masks and the coordinator accepted them all at pickup."""
    workshop = factories.WorkshopFactory(province=factories.province())
    quota = factories.QuotaFactory(workshop=workshop, quantity=units)
    output_report(quota=quota, owner=workshop.owner, quantity=units, idempotency_key=uuid.uuid4())
    quota.refresh_from_db()
    pickup_record(
        workshop=workshop,
        pickup_date=timezone.localdate(),
        lines=[PickupLineInput(quota=quota, collected_units=units, accepted_units=units)],
        actor=coordinator,
    )
    return quota


@pytest.mark.browser
def test_coordinator_delivers_prints_the_sheet_and_the_receiver_reports_a_shortfall(
    page: Page, browser, live_server, artifacts_dir
):
    coordinator = factories.CoordinatorFactory(full_name="هماهنگ‌کننده تهران")
    quota = accepted_units(coordinator, 40)
    center = quota.order.health_center

    # 1. The coordinator plans the delivery from the "ready to deliver" list.
    desk_context = browser.new_context(base_url=live_server.url, viewport=LAPTOP, locale="fa-IR")
    try:
        desk = desk_context.new_page()
        desk.goto("/accounts/login/")
        desk.fill("#id_username", to_persian_digits(coordinator.mobile))
        desk.fill("#id_password", factories.TEST_PASSWORD)
        desk.locator("main form button[type=submit]").click()
        desk.locator("header a[href='/coordinator/deliveries/']").click()
        desk.get_by_test_id("ready-to-deliver").click()
        desk.locator(f"a[href='/coordinator/deliveries/new/{center.pk}/']").click()
        desk.fill(f"[name=units_{quota.pk}]", "۴۰")
        desk.fill("#id_courier_name", "رضا محمدی")
        desk.fill("#id_courier_phone", "۰۹۱۲۷۶۵۴۳۲۱")
        desk.locator("main form button[type=submit]").last.click()
        desk.wait_for_url(re.compile(r"/coordinator/deliveries/\d+/$"))
        delivery = Delivery.objects.get()
        assert desk.url.endswith(f"/coordinator/deliveries/{delivery.pk}/")
        desk.get_by_test_id("action-dispatch").click()
        desk.screenshot(path=str(artifacts_dir / "delivery-journey-coordinator.png"), full_page=True)

        # 2. She prints the sheet: a PDF whose QR code is the receiver's confirmation link.
        sheet_href = desk.get_by_test_id("print-sheet").get_attribute("href")
        response = desk_context.request.get(sheet_href)
        assert response.headers["content-type"] == "application/pdf"
        sheet = response.body()
    finally:
        desk_context.close()
    text = subprocess.run([poppler("pdftotext"), "-", "-"], input=sheet, capture_output=True, check=True).stdout
    assert delivery.code in text.decode()  # codes are Latin everywhere
    png = subprocess.run([poppler("pdftoppm"), "-png", "-r", "150", "-"], input=sheet, capture_output=True, check=True)
    (artifacts_dir / "delivery-journey-sheet.png").write_bytes(png.stdout)
    [qr] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.stdout)))
    assert qr.text.startswith("http")
    confirmation_path = "/" + qr.text.split("/", 3)[3]  # the site address printed for production; same path here

    # 3. The receiver, on a phone and not logged in, counts 38 of 40 and sees the delivery disputed.
    receiver = browser.new_context(base_url=live_server.url, viewport=PHONE_VIEWPORT, locale=PHONE_LOCALE)
    try:
        phone = receiver.new_page()
        phone.goto(confirmation_path)
        line = delivery.lines.get()
        phone.fill(f"[name=received_units_{line.pk}]", "۳۸")
        phone.fill(f"[name=reject_reason_{line.pk}]", "دو عدد در بسته نبود")
        phone.fill("[name=receiver_name]", "زهرا کریمی")
        phone.fill("[name=receiver_role]", "مسئول انبار")
        phone.get_by_test_id("confirm-submit").click()
        expect(phone.get_by_test_id("delivery-status")).to_have_text("مورد اختلاف")
        phone.screenshot(path=str(artifacts_dir / "delivery-journey-receiver.png"), full_page=True)
    finally:
        receiver.close()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DISPUTED
    line.refresh_from_db()
    assert line.received_units == 38
