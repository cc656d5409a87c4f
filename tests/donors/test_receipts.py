"""PDF receipts of confirmed pledges: number, Persian text, fonts, copies, access and the public check."""

import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from core.jalali import format_long, jalali_year
from donors.models import Receipt
from donors.receipts.tokens import verify_token
from donors.services.pledges import pledge_confirm

from .. import factories
from ..pdf_tools import poppler


def _pdf_text(content: bytes, tmp_path) -> str:
    source = tmp_path / "receipt.pdf"
    source.write_bytes(content)
    text = subprocess.run([poppler("pdftotext"), str(source), "-"], capture_output=True, check=True, text=True).stdout
    return re.sub("[\u202a-\u202e]", "", text)  # pdftotext wraps right-to-left runs in bidi embedding marks


def _stored(receipt) -> bytes:
    with receipt.pdf.open("rb") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _confirmed(coordinator, django_capture_on_commit_callbacks, **pledge_fields):
    pledge = factories.PledgeFactory(amount_rials=50_000_000, **pledge_fields)
    with django_capture_on_commit_callbacks(execute=True):
        pledge_confirm(
            pledge=pledge,
            actor=coordinator,
            amount_received_rials=50_000_000,
            bank_reference="REF-1",
            received_on=dt.date(2026, 11, 28),
        )
    return Receipt.objects.get(pledge=pledge)


def test_confirming_a_pledge_issues_a_numbered_receipt_with_a_stored_persian_pdf(
    coordinator, django_capture_on_commit_callbacks, tmp_path
):
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    assert receipt.number == f"RCP-{jalali_year(today)}-000001"
    assert receipt.amount_rials == 50_000_000
    assert receipt.pdf.name.startswith("receipts/")
    content = _stored(receipt)
    assert content.startswith(b"%PDF")
    text = _pdf_text(content, tmp_path)
    assert receipt.number in text  # the number is printed with Latin digits, as it is typed on the check page
    assert "پنجاه میلیون ریال" in text
    # e.g. ۷ آذر ۱۴۰۵; pdftotext moves the space between a number and a right-to-left word, so compare without spaces
    assert "".join(format_long(today).split()) in "".join(text.split())
    assert "۵۰٬۰۰۰٬۰۰۰" in text
    assert receipt.pledge.donor.user.full_name in text
    assert "رونوشت" not in text


def test_the_receipt_pdf_embeds_vazirmatn(coordinator, django_capture_on_commit_callbacks, tmp_path):
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    fonts = subprocess.run(
        [poppler("pdffonts"), receipt.pdf.path], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all("Vazirmatn" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column


def test_running_the_task_again_keeps_the_stored_file(coordinator, django_capture_on_commit_callbacks):
    from donors.receipts.tasks import receipt_generate

    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    name = receipt.pdf.name
    receipt_generate.delay(receipt.pk)
    receipt.refresh_from_db()
    assert receipt.pdf.name == name
    assert Receipt.objects.count() == 1


def test_an_anonymous_pledge_receipt_says_anonymous_instead_of_the_name(
    coordinator, django_capture_on_commit_callbacks, tmp_path
):
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks, is_anonymous=True)
    text = _pdf_text(_stored(receipt), tmp_path)
    assert "ناشناس" in text
    assert receipt.pledge.donor.user.full_name not in text


def test_receipt_numbers_follow_each_other(coordinator, django_capture_on_commit_callbacks):
    first = _confirmed(coordinator, django_capture_on_commit_callbacks)
    second = _confirmed(coordinator, django_capture_on_commit_callbacks)
    assert second.number.endswith("-000002") and first.number.endswith("-000001")


def test_the_donor_downloads_the_original_first_and_copies_afterwards(
    coordinator, client_for, django_capture_on_commit_callbacks, tmp_path
):
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    client = client_for(receipt.pledge.donor.user)
    page = client.get(reverse("giving:mine"))
    url = reverse("receipts:download", args=[receipt.pk])
    assert url in page.content.decode()
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert b"".join(first) == _stored(receipt)
    assert "رونوشت" not in _pdf_text(b"".join(first), tmp_path)
    second = client.get(url)
    assert second.status_code == 200
    assert "رونوشت" in _pdf_text(b"".join(second), tmp_path)


def test_another_donor_cannot_download_the_receipt(
    coordinator, client_for, django_capture_on_commit_callbacks, donor_user
):
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    response = client_for(donor_user).get(reverse("receipts:download", args=[receipt.pk]))
    assert response.status_code == 404


def test_a_coordinator_of_another_province_cannot_download_the_receipt(
    coordinator, other_coordinator, client_for, django_capture_on_commit_callbacks
):
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    assert client_for(other_coordinator).get(reverse("receipts:download", args=[receipt.pk])).status_code == 404
    assert client_for(coordinator).get(reverse("receipts:download", args=[receipt.pk])).status_code == 200


def test_the_public_check_page_shows_number_date_and_amount_but_not_the_donor(
    client, coordinator, django_capture_on_commit_callbacks
):
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    page = client.get(reverse("receipts:verify", args=[verify_token(receipt)]))
    html = page.content.decode()
    assert page.status_code == 200
    assert receipt.number in html
    assert format_long(receipt.issued_on) in html
    assert "۵۰٬۰۰۰٬۰۰۰" in html
    assert receipt.pledge.donor.user.full_name not in html
    assert receipt.pledge.bank_reference not in html


def test_a_forged_check_token_is_not_found(client, coordinator, django_capture_on_commit_callbacks):
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    assert client.get(reverse("receipts:verify", args=[str(receipt.pk)])).status_code == 404
    assert client.get(reverse("receipts:verify", args=[verify_token(receipt) + "x"])).status_code == 404


def test_the_receipt_shows_the_banks_reference_and_the_issuing_organisations_registration_details(
    coordinator, django_capture_on_commit_callbacks, tmp_path, settings
):
    settings.HAMDELI_ORG_NAME = "انجمن نیکوکاری همدلی"
    settings.HAMDELI_ORG_REGISTRATION = "14005678901"
    settings.HAMDELI_ORG_ADDRESS = "تهران، خیابان ولیعصر، شماره ۱۲"
    settings.HAMDELI_ORG_PHONE = "02166001234"
    receipt = _confirmed(coordinator, django_capture_on_commit_callbacks)
    text = "".join(_pdf_text(_stored(receipt), tmp_path).split())
    assert "REF-1" in text  # as the bank printed it, so she can match it to her statement
    assert "".join(format_long(dt.date(2026, 11, 28)).split()) in text  # the day the money arrived
    assert "انجمننیکوکاریهمدلی" in text
    assert "14005678901" in text  # an ID typed into forms: Latin digits, like every code on paper
    assert "۰۲۱۶۶۰۰۱۲۳۴" in text
    assert "تهران،خیابانولیعصر،شماره۱۲" in text
    assert receipt.pledge.reference in text  # a code: Latin, as on her payment page
