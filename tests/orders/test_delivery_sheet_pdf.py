"""The delivery sheet (برگه تحویل): what the courier carries and the receiver signs."""

from __future__ import annotations

import http.server
import io
import re
import subprocess
import threading

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from PIL import Image

from core.persian import to_persian_digits
from core.words import number_to_words
from fulfilment.delivery_sheet import delivery_sheet_pdf
from fulfilment.receiving_links import confirmation_url, delivery_from_token
from tests import factories
from tests.pdf_tools import page_count, poppler, squeezed_text

pytestmark = pytest.mark.django_db


def page_text(pdf: bytes, page: int) -> str:
    """The text of one page, without bidi marks and without any whitespace (RTL extraction spaces oddly)."""
    return squeezed_text(pdf, "-f", str(page), "-l", str(page))


def pages_text(pdf: bytes) -> list[str]:
    return [page_text(pdf, number) for number in range(1, page_count(pdf) + 1)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def sixty_line_delivery():
    delivery = factories.DeliveryFactory(courier_name="رضا پیک", vehicle="وانت")
    workshop = factories.WorkshopFactory()  # one workshop and one coordinator keep the set-up quick
    for index in range(60):
        units = 10 + index
        order = factories.OrderFactory(health_center=delivery.health_center, created_by=delivery.created_by)
        quota = factories.QuotaFactory(
            order=order,
            workshop=workshop,
            produced_units=units,
            collected_units=units,
            accepted_units=units,
            delivered_units=units,
        )
        factories.DeliveryLineFactory(delivery=delivery, quota=quota, units=units)
    return delivery


@pytest.fixture
def persian_sheet(sixty_line_delivery):
    return delivery_sheet_pdf(sixty_line_delivery)


def test_a_sixty_line_sheet_spans_pages_and_repeats_the_table_header_on_each(persian_sheet):
    pages = pages_text(persian_sheet)
    assert len(pages) >= 2
    with translation.override("fa"):
        headings = [squeeze(gettext("Order number")), squeeze(gettext("Product"))]
    for text in pages:
        for heading in headings:
            assert heading in text


def test_no_row_is_split_across_pages(sixty_line_delivery, persian_sheet):
    pages = pages_text(persian_sheet)
    numbers = sixty_line_delivery.lines.values_list("quota__order__number", flat=True)
    for number in numbers:
        shown = number.split("-")[-1]  # the serial part: unique per order, whatever the bidi order
        assert sum(text.count(shown) for text in pages) == 1, number
        # Its units (10..69) sit on the same page as the order number.
        line = sixty_line_delivery.lines.get(quota__order__number=number)
        page = next(text for text in pages if shown in text)
        assert squeeze(number_to_words(line.units)) in page


def test_every_page_says_which_page_of_how_many_in_persian_digits(persian_sheet):
    pages = pages_text(persian_sheet)
    total = to_persian_digits(len(pages))
    with translation.override("fa"):
        page_word, of_word = pgettext("page footer", "Page"), pgettext("page footer", "of")
    for number, text in enumerate(pages, start=1):
        assert f"{page_word}{to_persian_digits(number)}{of_word}{total}" in text


def test_the_sheet_shows_the_center_the_courier_totals_and_the_short_code(sixty_line_delivery, persian_sheet):
    text = "".join(pages_text(persian_sheet))
    center = sixty_line_delivery.health_center
    assert squeeze(center.name.replace("0", "")) in text.replace("0", "") or squeeze(center.name) in text
    assert squeeze(center.address) in text
    assert squeeze("رضا پیک") in text
    assert sixty_line_delivery.short_code in text
    total = sum(10 + index for index in range(60))  # 2370
    assert squeeze(number_to_words(total)) in text
    assert sixty_line_delivery.code.split("-")[-1] in text  # codes are Latin everywhere


def test_vazirmatn_is_embedded(persian_sheet):
    fonts = subprocess.run(
        [poppler("pdffonts"), "-"], input=persian_sheet, capture_output=True, check=True
    ).stdout.decode()
    embedded = [line for line in fonts.splitlines() if "Vazirmatn" in line]
    assert embedded and all(" yes " in line for line in embedded)
    assert "DejaVu" not in fonts


def test_the_qr_code_opens_the_confirmation_page(sixty_line_delivery, persian_sheet):
    import zxingcpp

    last_page = page_count(persian_sheet)
    png = subprocess.run(
        [poppler("pdftoppm"), "-png", "-r", "150", "-f", str(last_page), "-l", str(last_page), "-"],
        input=persian_sheet,
        capture_output=True,
        check=True,
    ).stdout
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    # The token carries the time it was signed, so compare where it leads rather than the exact text.
    link = confirmation_url(sixty_line_delivery)
    assert code.text.rsplit("/", 2)[0] == link.rsplit("/", 2)[0]
    assert delivery_from_token(code.text.rstrip("/").rsplit("/", 1)[-1]) == sixty_line_delivery


def test_the_english_sheet_has_english_headings_and_latin_digits():
    delivery = factories.DeliveryLineFactory(units=12).delivery
    text = "".join(pages_text(delivery_sheet_pdf(delivery, language="en")))
    for heading in ("Deliverysheet", "Ordernumber", "Receiver", "Courier", "Page1of1", "Unitsinwords"):
        assert heading in text
    assert "twelve" in text
    assert delivery.code in text
    assert "۱" not in text.replace(delivery.health_center.address, "")


def test_a_workshop_is_shown_by_its_city_unless_its_owner_agreed_to_show_its_name():
    delivery = factories.DeliveryFactory()
    private = factories.DeliveryLineFactory(delivery=delivery, quota__workshop__name="کارگاه محرمانه")
    public = factories.DeliveryLineFactory(delivery=delivery)
    public.quota.workshop.name, public.quota.workshop.public_name_consent = "کارگاه مهر", True
    public.quota.workshop.save()
    text = "".join(pages_text(delivery_sheet_pdf(delivery)))
    assert squeeze(private.quota.workshop.name) not in text
    assert squeeze("کارگاه مهر") in text
    assert squeeze(private.quota.workshop.city.name_fa) in text


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        RecordingHandler.requests.append(self.path)
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listening_server():
    """A local HTTP server on a free port that records every request it gets (and answers with a redirect)."""
    RecordingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_hostile_text_on_a_sheet_makes_no_request_and_embeds_nothing(listening_server):
    port = listening_server.server_address[1]
    image = f'<img src="http://127.0.0.1:{port}/x.png">'
    sheet_link = f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
    center = factories.HealthCenterFactory(address=f'{image} <img src="file:///etc/passwd">')
    delivery = factories.DeliveryFactory(
        health_center=center,
        courier_name=image[:120],
        vehicle='<iframe src="file:///etc/passwd"></iframe>',
        note=f'{sheet_link}<object data="file:///etc/passwd"></object> url(http://127.0.0.1:{port}/y)',
    )
    factories.DeliveryLineFactory(delivery=delivery)

    pdf = delivery_sheet_pdf(delivery)

    assert RecordingHandler.requests == []
    text = "".join(pages_text(pdf))
    assert "root:" not in text and "/bin/" not in text
    assert "file:///etc/passwd" in text  # the typed text is printed as text, harmlessly
    images = subprocess.run(
        [poppler("pdfimages"), "-list", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert len(images.strip().splitlines()) == 2  # the header lines only: no image is embedded (the QR is vector)
