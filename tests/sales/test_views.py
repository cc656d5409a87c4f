"""The sales pages over HTTP: who sees what, what the public never sees, limits on inquiries, the exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from core.notifications import backends
from sales.models import Inquiry, ListingStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def outbox():
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


@pytest.fixture
def listing():
    workshop = factories.WorkshopFactory(name="کارگاه نرگس", address="کوچهٔ یاس پلاک ۷", is_woman_head_of_household=True)
    workshop.owner.full_name = "نرگس احمدی"
    workshop.owner.save()
    listing = factories.ListingFactory(workshop=workshop, shop_name="خیاطی نرگس")
    factories.ListingPhotoFactory(listing=listing)
    return listing


def closed(response):
    """Close a file response's file without the end-of-request signal, which on PostgreSQL would close the
    connection and with it the test's transaction (as tests/test_permission_matrix.py does)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response


def status(client, url) -> int:
    return closed(client.get(url)).status_code


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The showcase ---------------------------------------------------------------------------------------------


def test_the_showcase_shows_the_shop_city_products_and_photo_but_nothing_private(client, listing):
    owner, workshop = listing.workshop.owner, listing.workshop
    for url in (reverse("showcase:list"), reverse("showcase:detail", args=[listing.pk])):
        html = page(client, url)
        assert "خیاطی نرگس" in html and workshop.city.name_fa in html and workshop.province.name_fa in html
        assert factories.product().name_fa in html
        assert reverse("showcase:photo", args=[listing.photos.get().pk]) in html
        for private in (owner.mobile, owner.full_name, "احمدی", workshop.address, workshop.national_id):
            assert private not in html
        assert "سرپرست خانوار" not in html


def test_the_showcase_filters_by_province_and_product(client, listing):
    isfahan = factories.province("isfahan")
    elsewhere = factories.ListingFactory(workshop=factories.WorkshopFactory(province=isfahan), shop_name="دوخت اصفهان")
    html = page(client, reverse("showcase:list") + f"?province={isfahan.pk}")
    assert "دوخت اصفهان" in html and "خیاطی نرگس" not in html
    html = page(client, reverse("showcase:list") + f"?product={factories.product().pk}")
    assert "دوخت اصفهان" in html and "خیاطی نرگس" in html
    elsewhere.products.set([other_product()])
    html = page(client, reverse("showcase:list") + f"?product={factories.product().pk}")
    assert "دوخت اصفهان" not in html and "خیاطی نرگس" in html


def test_a_returned_or_waiting_listing_is_not_on_the_showcase(client, listing):
    listing.status = ListingStatus.SUBMITTED
    listing.save()
    assert "خیاطی نرگس" not in page(client, reverse("showcase:list"))
    assert client.get(reverse("showcase:detail", args=[listing.pk])).status_code == 404


def test_revoking_consent_hides_the_listing_and_its_photos_from_the_public(client, listing):
    photo_url = reverse("showcase:photo", args=[listing.photos.get().pk])
    response = closed(client.get(photo_url))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-cache"

    owner_client = factories_client(listing.workshop.owner)
    owner_client.post(reverse("my-listing:revoke"))

    assert status(client, photo_url) == 404
    assert client.get(reverse("showcase:detail", args=[listing.pk])).status_code == 404
    assert "خیاطی نرگس" not in page(client, reverse("showcase:list"))
    # The owner still sees her own photo (on her page, to decide whether to list again).
    assert status(owner_client, photo_url) == 200


def test_a_photo_of_a_hidden_listing_is_served_to_her_provinces_coordinator_only(
    client, listing, coordinator, other_coordinator
):
    listing.status = ListingStatus.SUBMITTED
    listing.save()
    photo_url = reverse("showcase:photo", args=[listing.photos.get().pk])
    assert status(client, photo_url) == 404
    client.force_login(other_coordinator)
    assert status(client, photo_url) == 404
    client.force_login(coordinator)
    assert status(client, photo_url) == 200


def other_product():
    from core.models import Product

    return Product.objects.exclude(pk=factories.product().pk).first()


def factories_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- Inquiries ------------------------------------------------------------------------------------------------


def inquire(client, listing, **overrides):
    data = {"name": "مریم", "mobile": "۰۹۱۲ ۱۱۱ ۲۲۳۳", "message": "صد روپوش برای درمانگاه لازم داریم", "website": ""}
    return client.post(reverse("showcase:detail", args=[listing.pk]), data | overrides)


def test_a_buyer_sends_an_inquiry_without_an_account_and_the_owner_gets_one_sms(
    client, listing, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = inquire(client, listing)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.buyer_mobile == "09121112233"  # typed with Persian digits and spaces
    (message,) = outbox
    assert message.to == listing.workshop.owner.mobile


def test_a_wrong_mobile_number_is_refused_on_the_form(client, listing):
    response = inquire(client, listing, mobile="12345")
    assert response.status_code == 200 and not Inquiry.objects.exists()
    assert response.context["form"].errors["mobile"]


def test_a_bot_filling_the_hidden_field_is_thanked_and_nothing_is_sent(client, listing, outbox):
    response = inquire(client, listing, website="http://spam.example")
    assert response.status_code == 302
    assert not Inquiry.objects.exists() and not outbox


def test_inquiries_are_limited_per_address(client, listing, settings):
    settings.SALES_INQUIRIES_PER_ADDRESS = 2
    assert inquire(client, listing).status_code == 302
    assert inquire(client, listing).status_code == 302
    assert inquire(client, listing).status_code == 429
    assert Inquiry.objects.count() == 2


def test_inquiries_are_limited_per_listing_whatever_the_address(client, listing, settings):
    settings.SALES_INQUIRIES_PER_LISTING = 1
    assert inquire(client, listing, REMOTE_ADDR="10.0.0.1").status_code == 302
    response = client.post(
        reverse("showcase:detail", args=[listing.pk]),
        {"name": "علی", "mobile": "09120000000", "message": "سلام"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429
    assert Inquiry.objects.count() == 1


def test_the_owner_reads_and_answers_an_inquiry_and_the_buyer_gets_the_sms(
    listing, outbox, django_capture_on_commit_callbacks
):
    inquiry = factories.InquiryFactory(listing=listing)
    owner_client = factories_client(listing.workshop.owner)
    assert inquiry.message in page(owner_client, reverse("my-listing:inquiries"))
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("my-listing:inquiry", args=[inquiry.pk]), {"answer": "بله، آماده است", "share_number": "on"}
        )
    assert response.status_code == 302
    (message,) = outbox
    assert message.to == inquiry.buyer_mobile and listing.workshop.owner.mobile in message.text


def test_another_owners_inquiry_is_not_found(listing):
    inquiry = factories.InquiryFactory(listing=listing)
    stranger = factories_client(factories.WorkshopFactory().owner)
    assert stranger.get(reverse("my-listing:inquiry", args=[inquiry.pk])).status_code == 404
    assert stranger.post(reverse("my-listing:inquiry", args=[inquiry.pk]), {"answer": "x"}).status_code == 404


# --- The owner's page and the review --------------------------------------------------------------------------


def test_the_owner_lists_herself_with_consent_and_sees_the_coordinators_reason(coordinator):
    workshop = factories.WorkshopFactory()
    owner_client = factories_client(workshop.owner)
    html = page(owner_client, reverse("my-listing:edit"))
    assert "هرگز نشان داده نمی‌شود" in html  # the consent sentence says what stays private
    data = {"shop_name": "دوخت مهر", "products": [factories.product().pk], "description": "", "consent": "on"}
    assert owner_client.post(reverse("my-listing:edit"), data).status_code == 302
    listing = workshop.listing

    reviewer = factories_client(coordinator)
    assert "دوخت مهر" in page(reviewer, reverse("listings:list"))
    reviewer.post(reverse("listings:action", args=[listing.pk, "return"]), {"return-reason": "عکس لازم است"})
    assert "عکس لازم است" in page(owner_client, reverse("my-listing:edit"))


def test_the_owner_uploads_a_photo_and_a_text_file_is_refused_on_the_page(listing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner_client = factories_client(listing.workshop.owner)
    good = SimpleUploadedFile("a.jpg", factories.jpeg_bytes(gps=True), content_type="image/jpeg")
    assert owner_client.post(reverse("my-listing:photo-add"), {"photo": good}).status_code == 302
    bad = SimpleUploadedFile("b.jpg", b"not a photo at all", content_type="image/jpeg")
    response = owner_client.post(reverse("my-listing:photo-add"), {"photo": bad})
    assert response.status_code == 200 and listing.photos.count() == 2


def test_the_review_list_shows_the_private_flag_to_the_coordinator_but_not_other_provinces(
    client, listing, coordinator, other_coordinator
):
    client.force_login(coordinator)
    assert "خیاطی نرگس" in page(client, reverse("listings:list"))
    client.force_login(other_coordinator)
    assert "خیاطی نرگس" not in page(client, reverse("listings:list"))
    assert client.get(reverse("listings:detail", args=[listing.pk])).status_code == 404


# --- Exports --------------------------------------------------------------------------------------------------


def test_the_csv_export_has_one_row_per_product_in_persian_with_a_bom(client, listing, coordinator):
    listing.products.add(other_product())
    client.force_login(coordinator)
    response = client.get(reverse("listings:export", args=["csv"]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["seller_id"] for row in rows} == {str(listing.pk)}
    assert len(rows) == listing.products.count()
    row = rows[0]
    assert row["shop_name"] == "خیاطی نرگس" and row["takes_commercial_orders"] == "yes"
    assert row["city"] == listing.workshop.city.name_fa and row["province"] == listing.workshop.province.name_fa
    assert row["image_urls"].startswith("http") and "/showcase/photos/" in row["image_urls"]
    assert listing.workshop.owner.mobile not in text


def test_the_json_export_leaves_out_hidden_listings_and_other_provinces(client, listing, coordinator):
    factories.ListingFactory(status="submitted")
    factories.ListingFactory(workshop=factories.WorkshopFactory(province=factories.province("isfahan")))
    client.force_login(coordinator)
    data = json.loads(client.get(reverse("listings:export", args=["json"])).content)
    assert [row["seller_id"] for row in data["rows"]] == [listing.pk]
    assert data["rows"][0]["takes_commercial_orders"] is True
    assert data["columns"][0] == "seller_id"


def test_the_showcase_reads_the_same_number_of_queries_for_few_and_many_listings(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("showcase:list")).status_code == 200
        return len(captured)

    factories.ListingPhotoFactory()
    few = queries()
    for _ in range(5):
        factories.ListingPhotoFactory()
    assert queries() == few
