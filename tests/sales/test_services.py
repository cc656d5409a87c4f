"""The rules of listing, review and inquiries, through the services (no HTTP)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditLog
from core.notifications import backends
from sales.models import Inquiry, ListingStatus
from sales.selectors import public_listings
from sales.services import (
    inquiry_answer,
    inquiry_send,
    listing_publish,
    listing_return,
    listing_revoke,
    listing_save,
    photo_add,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox():
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the sending queued after commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def save(workshop, **overrides):
    values = {
        "workshop": workshop,
        "actor": workshop.owner,
        "shop_name": "خیاطی نرگس",
        "products": [factories.product()],
        "description": "روپوش یک‌بار مصرف",
        "takes_commercial_orders": True,
        "consent": True,
    }
    return listing_save(**(values | overrides))


def test_an_owner_is_listed_only_with_her_consent():
    workshop = factories.WorkshopFactory()
    with pytest.raises(ValidationError) as refused:
        save(workshop, consent=False)
    assert "consent" in refused.value.message_dict
    assert not public_listings().exists()


def test_a_saved_listing_waits_for_review_and_is_not_public():
    listing = save(factories.WorkshopFactory())
    assert listing.status == ListingStatus.SUBMITTED and listing.consent
    assert not public_listings().exists()
    assert AuditLog.objects.filter(action="listing.create", object_id=str(listing.pk)).exists()


def test_editing_a_published_listing_takes_it_off_the_showcase_until_reviewed_again(coordinator):
    listing = save(factories.WorkshopFactory())
    listing_publish(listing=listing, actor=coordinator)
    assert list(public_listings()) == [listing]

    save(listing.workshop, description="ماسک سه‌لایه هم می‌دوزم")
    assert not public_listings().exists()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_revoking_consent_hides_the_listing_at_once():
    listing = factories.ListingFactory()
    assert public_listings().exists()
    listing_revoke(listing=listing, actor=listing.workshop.owner)
    listing.refresh_from_db()
    assert (listing.status, listing.consent) == (ListingStatus.WITHDRAWN, False)
    assert not public_listings().exists()


def test_another_owner_cannot_change_or_revoke_a_listing():
    listing = factories.ListingFactory()
    stranger = factories.WorkshopFactory().owner
    with pytest.raises(PermissionDenied):
        listing_revoke(listing=listing, actor=stranger)
    with pytest.raises(PermissionDenied):
        save(listing.workshop, actor=stranger)


def test_a_listing_has_at_most_six_photos(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = factories.ListingFactory(status="submitted")
    for _ in range(6):
        photo_add(listing=listing, actor=listing.workshop.owner, data=factories.jpeg_bytes())
    with pytest.raises(ValidationError) as refused:
        photo_add(listing=listing, actor=listing.workshop.owner, data=factories.jpeg_bytes())
    assert "photo" in refused.value.message_dict
    assert listing.photos.count() == 6


def test_a_photo_added_to_a_published_listing_sends_it_back_to_review(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = factories.ListingFactory()
    photo_add(listing=listing, actor=listing.workshop.owner, data=factories.jpeg_bytes())
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUBMITTED


def test_a_coordinator_reviews_only_her_provinces_listings(coordinator, other_coordinator):
    listing = save(factories.WorkshopFactory())  # in Tehran
    with pytest.raises(PermissionDenied):
        listing_publish(listing=listing, actor=other_coordinator)
    assert listing_publish(listing=listing, actor=coordinator).status == ListingStatus.PUBLISHED


def test_a_returned_listing_carries_the_reason_and_the_owner_hears_of_it(coordinator, outbox, sent):
    listing = save(factories.WorkshopFactory())
    with sent():
        listing_return(listing=listing, actor=coordinator, reason="نام خانوادگی در نام فروشگاه است")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.RETURNED
    assert listing.return_reason == "نام خانوادگی در نام فروشگاه است"
    (message,) = outbox
    assert message.to == listing.workshop.owner.mobile and "نام خانوادگی" in message.text

    resubmitted = save(listing.workshop, shop_name="خیاطی نرگس")
    assert resubmitted.status == ListingStatus.SUBMITTED


def test_publishing_needs_a_listing_waiting_for_review(coordinator):
    listing = factories.ListingFactory()  # published already
    with pytest.raises(ValidationError):
        listing_publish(listing=listing, actor=coordinator)


def test_an_inquiry_reaches_the_owner_by_one_sms(outbox, sent):
    listing = factories.ListingFactory()
    with sent():
        inquiry = inquiry_send(listing=listing, buyer_name="مریم", buyer_mobile="09121112233", message="۱۰۰ روپوش؟")
    (message,) = outbox
    assert message.to == listing.workshop.owner.mobile
    assert "مریم" in message.text and f"/inquiries/{inquiry.pk}/" in message.text
    assert "09121112233" not in message.text  # the buyer's number is not handed out either


def test_an_inquiry_to_a_hidden_listing_is_refused(outbox):
    listing = factories.ListingFactory(status="withdrawn", consent=False)
    with pytest.raises(ValidationError):
        inquiry_send(listing=listing, buyer_name="مریم", buyer_mobile="09121112233", message="سلام")
    assert not Inquiry.objects.exists() and not outbox


def test_the_answer_goes_to_the_buyer_without_the_owners_number_unless_she_shares_it(outbox, sent):
    first, second = factories.InquiryFactory(), None
    owner = first.listing.workshop.owner
    second = factories.InquiryFactory(listing=first.listing)

    with sent():
        inquiry_answer(inquiry=first, actor=owner, answer="بله، هفتهٔ بعد آماده است", share_number=False)
    with sent():
        inquiry_answer(inquiry=second, actor=owner, answer="لطفاً تماس بگیرید", share_number=True)

    without, with_number = outbox
    assert without.to == first.buyer_mobile and "هفتهٔ بعد" in without.text
    assert owner.mobile not in without.text
    assert with_number.to == second.buyer_mobile and owner.mobile in with_number.text


def test_an_inquiry_is_answered_once_and_texted_once(outbox, sent):
    inquiry = factories.InquiryFactory()
    owner = inquiry.listing.workshop.owner
    with sent():
        inquiry_answer(inquiry=inquiry, actor=owner, answer="بله", share_number=False)
    with pytest.raises(ValidationError):
        inquiry_answer(inquiry=inquiry, actor=owner, answer="بله", share_number=False)
    assert len(outbox) == 1


def test_another_owner_cannot_answer_an_inquiry():
    inquiry = factories.InquiryFactory()
    with pytest.raises(PermissionDenied):
        inquiry_answer(inquiry=inquiry, actor=factories.WorkshopFactory().owner, answer="x", share_number=True)
