"""Writes of the sales room: the owner's listing, its photos and consent, the coordinator's review, inquiries.

Each public function is one transaction with its audit entry; the listing row is locked where two requests race
(two photo uploads past the limit of six, a review against the owner's edit or revocation, two answers to one
inquiry).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import Product, User
from core.notifications.service import notify
from core.permissions import user_can
from core.scoping import scope_by_province
from workshops.models import Workshop

from .models import MAX_PHOTOS, Inquiry, Listing, ListingPhoto, ListingStatus, SaleRecord
from .notifications import answer_text, inquiry_received_text, returned_text
from .photos import clean_photo


def _lock_listing(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().get(pk=listing.pk)


def _lock_inquiry(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


def _check_owner(actor: User, listing: Listing) -> None:
    if not user_can(actor, "list_workshop") or listing.workshop.owner_id != actor.pk:
        raise PermissionDenied


def _check_reviewer(actor: User, listing: Listing) -> None:
    in_scope = scope_by_province(Listing.objects.filter(pk=listing.pk), actor, field="workshop__province").exists()
    if not user_can(actor, "review_listings") or not in_scope:
        raise PermissionDenied


@transaction.atomic
def listing_save(
    *,
    workshop: Workshop,
    actor: User,
    shop_name: str,
    products: Iterable[Product],
    description: str,
    takes_commercial_orders: bool,
    consent: bool,
) -> Listing:
    """Create or change the owner's listing and send it to her coordinator's review.

    Consent is required each time she saves (the form's checkbox): saving is asking to be public. A published
    listing she edits leaves the showcase until it is published again (we chose this over keeping the old version
    public: one copy of the listing, and nothing public that a coordinator has not seen).
    """
    if not user_can(actor, "list_workshop") or workshop.owner_id != actor.pk:
        raise PermissionDenied
    if not consent:
        raise ValidationError({"consent": _("Tick the box to agree to be shown on the showcase.")})
    products = list(products)
    if not products:
        raise ValidationError({"products": _("Choose at least one product you make.")})
    # The workshop's row, so two first saves (two tabs) cannot both create her listing.
    Workshop.objects.select_for_update().get(pk=workshop.pk)
    listing = Listing.objects.select_for_update().filter(workshop=workshop).first()
    created = listing is None
    before = {} if created else {"status": listing.status, "consent": listing.consent}
    if created:
        listing = Listing(workshop=workshop)
    now = timezone.now()
    listing.shop_name = shop_name.strip()
    listing.description = description.strip()
    listing.takes_commercial_orders = takes_commercial_orders
    if not listing.consent:
        listing.consented_at = now
    listing.consent = True
    listing.status = ListingStatus.SUBMITTED
    listing.submitted_at = now
    listing.full_clean(exclude=["workshop"])
    listing.save()
    listing.products.set(products)
    log_action(
        actor=actor,
        obj=listing,
        action="listing.create" if created else "listing.submit",
        changes={
            "status": [before.get("status"), listing.status],
            "consent": [before.get("consent"), True],
            "products": [None, sorted(product.pk for product in products)],
        },
    )
    return listing


@transaction.atomic
def listing_revoke(*, listing: Listing, actor: User) -> Listing:
    """The owner takes back her consent: the listing and its photos leave the showcase at once."""
    _check_owner(actor, listing)
    listing = _lock_listing(listing)
    if not listing.consent:
        return listing  # revoked already (a second click)
    before = listing.status
    listing.consent = False
    listing.status = ListingStatus.WITHDRAWN
    listing.save(update_fields=["consent", "status"])
    log_action(
        actor=actor,
        obj=listing,
        action="listing.revoke",
        changes={"status": [before, listing.status], "consent": [True, False]},
    )
    return listing


@transaction.atomic
def photo_add(*, listing: Listing, actor: User, data: bytes) -> ListingPhoto:
    """Add a photo (checked and re-encoded without EXIF by ``sales.photos``); at most six per listing.

    A published listing goes back to review: the coordinator sees every photo before the public does.
    """
    _check_owner(actor, listing)
    photo = clean_photo(data)  # before the lock: re-encoding takes a moment and needs no row
    listing = _lock_listing(listing)
    if listing.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photo": _("A listing has at most 6 photos. Remove one to add another.")})
    row = ListingPhoto(listing=listing, width=photo.width, height=photo.height)
    row.image.save("photo.jpg", ContentFile(photo.content), save=False)
    row.save()
    changes = {"photos": [None, row.pk]}
    if listing.status == ListingStatus.PUBLISHED:
        listing.status = ListingStatus.SUBMITTED
        listing.submitted_at = timezone.now()
        listing.save(update_fields=["status", "submitted_at"])
        changes["status"] = [ListingStatus.PUBLISHED, ListingStatus.SUBMITTED]
    log_action(actor=actor, obj=listing, action="listing.photo_add", changes=changes)
    return row


@transaction.atomic
def photo_remove(*, photo: ListingPhoto, actor: User) -> None:
    """Remove a photo and its file (after the commit, so a rolled-back removal keeps the file)."""
    _check_owner(actor, photo.listing)
    listing = _lock_listing(photo.listing)
    photo_pk, storage, name = photo.pk, photo.image.storage, photo.image.name
    ListingPhoto.objects.filter(pk=photo_pk, listing=listing).delete()
    transaction.on_commit(lambda: storage.delete(name))
    log_action(actor=actor, obj=listing, action="listing.photo_remove", changes={"photos": [photo_pk, None]})


@transaction.atomic
def listing_publish(*, listing: Listing, actor: User) -> Listing:
    """The coordinator puts a submitted listing on the showcase (only with the owner's consent standing)."""
    _check_reviewer(actor, listing)
    listing = _lock_listing(listing)
    if listing.status != ListingStatus.SUBMITTED or not listing.consent:
        raise ValidationError(_("Only a listing waiting for review can be published."))
    return _review(listing, actor, ListingStatus.PUBLISHED, reason="")


@transaction.atomic
def listing_return(*, listing: Listing, actor: User, reason: str) -> Listing:
    """The coordinator sends a listing back with a reason the owner reads; it leaves the showcase if it was on it."""
    _check_reviewer(actor, listing)
    listing = _lock_listing(listing)
    if listing.status not in (ListingStatus.SUBMITTED, ListingStatus.PUBLISHED):
        raise ValidationError(_("This listing is not waiting for review."))
    if not reason.strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    listing = _review(listing, actor, ListingStatus.RETURNED, reason=reason.strip())
    text = returned_text(listing.return_reason)
    notify(
        recipient=listing.workshop.owner,
        event="listing.returned",
        text=text,
        dedupe_key=f"listing.returned:{listing.pk}:{listing.reviewed_at.isoformat()}",
        obj=listing,
    )
    return listing


def _review(listing: Listing, actor: User, status: str, *, reason: str) -> Listing:
    before = listing.status
    listing.status = status
    listing.return_reason = reason
    listing.reviewed_by = actor
    listing.reviewed_at = timezone.now()
    listing.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    action = "listing.publish" if status == ListingStatus.PUBLISHED else "listing.return"
    log_action(actor=actor, obj=listing, action=action, changes={"status": [before, status]}, note=reason)
    return listing


@transaction.atomic
def inquiry_send(*, listing: Listing, buyer_name: str, buyer_mobile: str, message: str) -> Inquiry:
    """A buyer's message to a public listing; the owner gets one SMS per inquiry and finds it on her pages."""
    listing = _lock_listing(listing)
    if not listing.is_public:
        raise ValidationError(_("This workshop is no longer on the showcase."))
    inquiry = Inquiry(
        listing=listing, buyer_name=buyer_name.strip(), buyer_mobile=buyer_mobile, message=message.strip()
    )
    inquiry.full_clean()
    inquiry.save()
    log_action(actor=None, obj=inquiry, action="inquiry.send", note=f"listing {listing.pk}")
    text = inquiry_received_text(inquiry_pk=inquiry.pk, buyer_name=inquiry.buyer_name)
    notify(
        recipient=listing.workshop.owner,
        event="inquiry.received",
        text=text,
        dedupe_key=f"inquiry.received:{inquiry.pk}",
        obj=inquiry,
    )
    return inquiry


@transaction.atomic
def inquiry_answer(*, inquiry: Inquiry, actor: User, answer: str, share_number: bool) -> Inquiry:
    """The owner's answer, sent to the buyer by SMS once; her mobile goes with it only if she ticked to share it."""
    _check_owner(actor, inquiry.listing)
    inquiry = _lock_inquiry(inquiry)
    if inquiry.answered_at is not None:
        raise ValidationError(_("You have answered this message already."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer.")})
    inquiry.answer = answer.strip()
    inquiry.shared_number = share_number
    inquiry.answered_at = timezone.now()
    inquiry.full_clean()
    inquiry.save(update_fields=["answer", "shared_number", "answered_at"])
    log_action(actor=actor, obj=inquiry, action="inquiry.answer", changes={"shared_number": [None, share_number]})
    text = answer_text(
        shop=inquiry.listing.shop_name, answer=inquiry.answer, owner_mobile=actor.mobile if share_number else None
    )
    notify(
        phone=inquiry.buyer_mobile,
        event="inquiry.answered",
        text=text,
        dedupe_key=f"inquiry.answered:{inquiry.pk}",
        obj=inquiry,
    )
    return inquiry


# --- Sales the owner records herself -------------------------------------------------------------------------

# How far back a sale may be dated: a year covers a late entry, and keeps an old typo (1304 for 1404) out of the
# income figures.
SALE_MAX_AGE_DAYS = 366


@transaction.atomic
def sale_record(
    *,
    workshop: Workshop,
    actor: User,
    sold_on: dt.date,
    units: int,
    amount_rials: int,
    channel: str,
    idempotency_key: uuid.UUID,
    product: Product | None = None,
    product_text: str = "",
    note: str = "",
) -> tuple[SaleRecord, bool]:
    """Record a sale the owner made; returns ``(record, created)``.

    A repeated ``idempotency_key`` (double-clicked button, retried request) returns the record already stored.
    Owners record sales whether or not their listing is published: a sale through a marketplace needs no listing.
    """
    if not user_can(actor, "list_workshop") or workshop.owner_id != actor.pk:
        raise PermissionDenied
    # The workshop's row serializes two sends of one form, so the key check below sees the twin's record.
    Workshop.objects.select_for_update().get(pk=workshop.pk)
    existing = SaleRecord.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.workshop_id != workshop.pk:
            raise ValidationError(_("This form was already used; please open it again."))
        return existing, False
    today = timezone.localdate()
    if sold_on > today:
        raise ValidationError({"sold_on": _("A sale cannot be dated in the future.")})
    if sold_on < today - dt.timedelta(days=SALE_MAX_AGE_DAYS):
        raise ValidationError({"sold_on": _("Record sales of the last twelve months only.")})
    if units <= 0:
        raise ValidationError({"units": _("Enter the number of units sold: at least 1.")})
    product_text = product_text.strip()
    if product is None and not product_text:
        raise ValidationError({"product": _("Choose the product or write what was sold.")})
    record = SaleRecord(
        workshop=workshop,
        sold_on=sold_on,
        product=product,
        product_text="" if product is not None else product_text,
        units=units,
        amount_rials=amount_rials,
        channel=channel,
        note=note.strip(),
        recorded_by=actor,
        idempotency_key=idempotency_key,
    )
    record.full_clean(exclude=["idempotency_key"])
    record.save()
    log_action(
        actor=actor,
        obj=record,
        action="sale.record",
        note=f"{units} units, {amount_rials} rials, {channel}, {sold_on.isoformat()}",
    )
    return record, True


@transaction.atomic
def sale_delete(*, record: SaleRecord, actor: User) -> None:
    """Remove a sale recorded by mistake: the owner's own, on the day she recorded it (later it is in reports)."""
    if not user_can(actor, "list_workshop") or record.workshop.owner_id != actor.pk:
        raise PermissionDenied
    record = SaleRecord.objects.select_for_update().filter(pk=record.pk).first()
    if record is None:
        return  # a second click: already removed
    if timezone.localtime(record.created_at).date() != timezone.localdate():
        raise ValidationError(_("A sale can be removed only on the day it was recorded."))
    log_action(
        actor=actor,
        obj=record,
        action="sale.delete",
        note=f"{record.units} units, {record.amount_rials} rials, {record.sold_on.isoformat()}",
    )
    record.delete()
