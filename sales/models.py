"""A workshop's public listing on the showcase, its photos, and the inquiries buyers send through it.

A listing exists only by the owner's consent and is public only while it is published by a coordinator of her
province *and* the consent stands (``Listing.is_public``); revoking hides it at once. What is public is chosen
here, not in the templates: the workshop's own city and province (read from the workshop, never typed), a shop
name the owner types (the coordinator checks it holds no surname or number before publishing), the products, a
short text and the photos. Never the owner's name, mobile, address or national ID, nor whether she heads her
household.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import MobileNumberField, PersianCharField, QuantityField, RialField
from core.models import Product

MAX_PHOTOS = 6
DESCRIPTION_MAX = 300
MESSAGE_MAX = 500


class ListingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn by the owner")


class Listing(models.Model):
    """One workshop's entry on the public showcase (at most one per workshop).

    Every save by the owner sends it to review (``submitted``): a published listing that she edits is hidden until
    a coordinator publishes it again, so nothing reaches the public unchecked. ``consent`` is the owner's explicit
    agreement; revoking sets it false and the status ``withdrawn``.
    """

    workshop = models.OneToOneField(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="listing", verbose_name=_("workshop")
    )
    shop_name = PersianCharField(_("name shown to buyers"), max_length=80)
    products = models.ManyToManyField(Product, related_name="+", verbose_name=_("products"))
    description = PersianCharField(_("what she makes"), max_length=DESCRIPTION_MAX, blank=True)
    takes_commercial_orders = models.BooleanField(_("takes commercial orders"), default=False)
    consent = models.BooleanField(_("consent to be listed"), default=False)
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.SUBMITTED
    )
    return_reason = PersianCharField(_("reason for returning"), max_length=400, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("showcase listing")
        verbose_name_plural = _("showcase listings")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ListingStatus.values), name="listing_status_valid"),
            # Published without consent would put her on the showcase against her will.
            models.CheckConstraint(
                condition=~models.Q(status=ListingStatus.PUBLISHED) | models.Q(consent=True),
                name="listing_published_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.shop_name

    @property
    def is_public(self) -> bool:
        return self.status == ListingStatus.PUBLISHED and self.consent


def _photo_path(instance: ListingPhoto, filename: str) -> str:
    # A random name: nothing in the path tells whose photo it is or lets one guess the next one.
    return f"sales/photos/{uuid.uuid4().hex}.jpg"


class ListingPhoto(models.Model):
    """A photo of her work, re-encoded on upload (``sales.photos``): JPEG, at most 1600 px, no EXIF or GPS.

    Stored under MEDIA_ROOT, which the web server never serves; ``sales.views.public.PhotoView`` serves it to the
    owner, her province's coordinators, and the public only while the listing is public.
    """

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos", verbose_name=_("listing"))
    image = models.FileField(_("photo"), upload_to=_photo_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("listing photo")
        verbose_name_plural = _("listing photos")
        ordering = ["listing", "id"]

    def __str__(self) -> str:
        return f"{self.listing} #{self.pk}"


class Inquiry(models.Model):
    """A buyer's question to a listed workshop, sent from the showcase without an account, and the owner's answer.

    The owner reads it on her pages and gets an SMS; her answer goes to ``buyer_mobile`` by SMS, with her own
    number only when she ticks ``shared_number``.
    """

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="inquiries", verbose_name=_("listing"))
    buyer_name = PersianCharField(_("buyer's name"), max_length=80)
    buyer_mobile = MobileNumberField(_("buyer's mobile"))
    message = PersianCharField(_("message"), max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answer = PersianCharField(_("answer"), max_length=MESSAGE_MAX, blank=True)
    shared_number = models.BooleanField(_("number shared with the buyer"), default=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("buyer inquiry")
        verbose_name_plural = _("buyer inquiries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.buyer_name} → {self.listing}"


class SaleChannel(models.TextChoices):
    SHOWCASE = "showcase", _("A buyer from the Hamdeli showcase")
    MARKETPLACE = "marketplace", _("An online marketplace")
    DIRECT = "direct", _("Direct or other")


class SaleRecord(models.Model):
    """A sale the owner made herself (outside donated orders), as she records it: her own income, not Hamdeli's.

    Amounts are what the buyer paid her, in rials. ``idempotency_key`` comes from the form, so a double-clicked
    button records the sale once. Read by the income figures of the dashboard and the thematic report
    (``reports.income_selectors``), counted in the workshop's province.
    """

    workshop = models.ForeignKey(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="sale_records", verbose_name=_("workshop")
    )
    sold_on = models.DateField(_("date sold"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("product")
    )
    product_text = PersianCharField(_("what was sold"), max_length=120, blank=True)
    units = QuantityField(_("units"))
    amount_rials = RialField(_("amount (rials)"))
    channel = models.CharField(_("channel"), max_length=20, choices=SaleChannel.choices)
    note = PersianCharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    idempotency_key = models.UUIDField(_("submission key"), unique=True, editable=False)

    class Meta:
        verbose_name = _("sale record")
        verbose_name_plural = _("sale records")
        ordering = ["-sold_on", "-id"]
        indexes = [models.Index(fields=["sold_on"], name="salerecord_sold_on")]
        constraints = [
            models.CheckConstraint(condition=models.Q(units__gt=0), name="salerecord_units_positive"),
            models.CheckConstraint(condition=models.Q(amount_rials__gte=0), name="salerecord_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(channel__in=SaleChannel.values), name="salerecord_channel_valid"),
            # Something must say what was sold: a product from the list or her own words.
            models.CheckConstraint(
                condition=models.Q(product__isnull=False) | ~models.Q(product_text=""),
                name="salerecord_says_what_was_sold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop} {self.sold_on}: {self.amount_rials}"

    @property
    def recorded_on(self):
        """The Tehran day she recorded it: the only day she may remove it."""
        return timezone.localtime(self.created_at).date()

    @property
    def what(self) -> str:
        return str(self.product) if self.product_id else self.product_text
