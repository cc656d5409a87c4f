"""Two requests at once: the row locks of sales.services keep the sixth-photo limit and one answer per inquiry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import AuditLog
from sales import services
from sales.models import Inquiry, Listing

from .. import factories, races

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on PostgreSQL"
)


def _photo_race(monkeypatch, listing: Listing, *, locking: bool) -> dict[str, BaseException]:
    owner = listing.workshop.owner

    def add():
        return services.photo_add(listing=listing, actor=owner, data=factories.jpeg_bytes())

    with races.Race() as race:
        locked = race.park(monkeypatch, services, "_lock_listing", later_arrivals_release=True)
        race.start("first", add)
        locked.wait_until_reached()
        second = race.start("second", add)
        if locking:
            race.wait_until_blocked(second)
            locked.release()
    return race.errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_uploads_at_the_sixth_photo_add_one_and_refuse_the_other(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    listing = factories.ListingFactory(status="submitted")
    for _ in range(5):
        factories.ListingPhotoFactory(listing=listing)

    errors = _photo_race(monkeypatch, listing, locking=True)

    assert list(errors) == ["second"] and isinstance(errors["second"], ValidationError)
    assert listing.photos.count() == 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_both_uploads_pass_the_limit(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "_lock_listing", lambda listing: Listing.objects.get(pk=listing.pk))
    listing = factories.ListingFactory(status="submitted")
    for _ in range(5):
        factories.ListingPhotoFactory(listing=listing)

    assert _photo_race(monkeypatch, listing, locking=False) == {}
    assert listing.photos.count() == 7  # the race the lock prevents


def _answer_race(monkeypatch, inquiry: Inquiry, *, locking: bool) -> dict[str, BaseException]:
    owner = inquiry.listing.workshop.owner

    def answer(text):
        return lambda: services.inquiry_answer(inquiry=inquiry, actor=owner, answer=text, share_number=False)

    with races.Race() as race:
        locked = race.park(monkeypatch, services, "_lock_inquiry", later_arrivals_release=True)
        race.start("first", answer("بله"))
        locked.wait_until_reached()
        second = race.start("second", answer("نه"))
        if locking:
            race.wait_until_blocked(second)
            locked.release()
    return race.errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_inquiry_answered_from_two_tabs_at_once_is_answered_once(monkeypatch):
    inquiry = factories.InquiryFactory()

    errors = _answer_race(monkeypatch, inquiry, locking=True)

    assert list(errors) == ["second"] and isinstance(errors["second"], ValidationError)
    inquiry.refresh_from_db()
    assert inquiry.answer == "بله"
    assert AuditLog.objects.filter(action="inquiry.answer", object_id=str(inquiry.pk)).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_row_lock_the_second_answer_overwrites_the_first(monkeypatch):
    monkeypatch.setattr(services, "_lock_inquiry", lambda inquiry: Inquiry.objects.get(pk=inquiry.pk))
    inquiry = factories.InquiryFactory()

    assert _answer_race(monkeypatch, inquiry, locking=False) == {}
    assert AuditLog.objects.filter(action="inquiry.answer", object_id=str(inquiry.pk)).count() == 2
