"""Every read of the sales pages, the showcase and the marketplace export, defined once."""

from __future__ import annotations

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Sum, Value, When

from core.models import Product, Province, User
from core.permissions import user_can
from core.scoping import scope_by_province
from workshops.models import Workshop

from .models import Inquiry, Listing, ListingPhoto, ListingStatus, SaleRecord

PUBLIC = Q(status=ListingStatus.PUBLISHED, consent=True)


def _listings() -> QuerySet[Listing]:
    return Listing.objects.select_related("workshop__province", "workshop__city").prefetch_related(
        "products", Prefetch("photos", queryset=ListingPhoto.objects.order_by("id"))
    )


def listing_of_workshop(workshop: Workshop) -> Listing | None:
    """The owner's listing with its products and photos, or None before she first asks to be listed."""
    return _listings().filter(workshop=workshop).first()


def listable_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True).order_by("kind", "name_fa")


def public_listings() -> QuerySet[Listing]:
    """The showcase: published listings whose owner's consent stands, newest reviews first."""
    return _listings().filter(PUBLIC).order_by("-reviewed_at", "-id")


def public_listing(pk: int) -> Listing:
    """One listing of the showcase (``Listing.DoesNotExist`` when it is not public: revoked, returned, hidden)."""
    return public_listings().get(pk=pk)


def showcase_provinces() -> QuerySet[Province]:
    return Province.objects.order_by("name_fa")


def listings_for_review(user: User) -> QuerySet[Listing]:
    """The listings of the coordinator's provinces, those waiting for her first (withdrawn ones are not hers)."""
    waiting_first = Case(
        When(status=ListingStatus.SUBMITTED, then=Value(0)),
        When(status=ListingStatus.RETURNED, then=Value(1)),
        default=Value(2),
    )
    listings = scope_by_province(_listings(), user, field="workshop__province")
    return listings.exclude(status=ListingStatus.WITHDRAWN).order_by(waiting_first, "-submitted_at", "-id")


def listing_in_scope(user: User, pk: int) -> Listing:
    """One listing of the coordinator's provinces (``Listing.DoesNotExist`` outside them: the view's 404)."""
    return scope_by_province(_listings(), user, field="workshop__province").get(pk=pk)


def photo_for(user: User, pk: int) -> ListingPhoto:
    """A photo the user may see: the owner's own, her province's coordinators', anyone's while the listing is public.

    ``ListingPhoto.DoesNotExist`` otherwise, so a hidden photo looks the same as one that never was.
    """
    photos = ListingPhoto.objects.select_related("listing__workshop")
    visible = Q(listing__status=ListingStatus.PUBLISHED, listing__consent=True)
    if user.is_authenticated:
        visible |= Q(listing__workshop__owner=user)
        if user_can(user, "review_listings"):
            visible |= Q(
                pk__in=scope_by_province(ListingPhoto.objects.all(), user, field="listing__workshop__province")
            )
    return photos.filter(visible).get(pk=pk)


def inquiries_of_owner(user: User) -> QuerySet[Inquiry]:
    """The inquiries to the owner's listing, newest first (unanswered ones are marked on the page)."""
    return Inquiry.objects.filter(listing__workshop__owner=user).order_by("-created_at", "-id")


def inquiry_of_owner(user: User, pk: int) -> Inquiry:
    """One inquiry to the owner's listing; another owner's is ``Inquiry.DoesNotExist`` (the view's 404)."""
    return inquiries_of_owner(user).select_related("listing__workshop__owner").get(pk=pk)


def export_listings(user: User) -> QuerySet[Listing]:
    """The public listings of the coordinator's provinces, for the marketplace export, in a stable order."""
    return scope_by_province(_listings().filter(PUBLIC), user, field="workshop__province").order_by("pk")


def photo_of_owner(user: User, pk: int) -> ListingPhoto:
    """One photo of the owner's own listing (``ListingPhoto.DoesNotExist`` for anyone else's)."""
    return ListingPhoto.objects.select_related("listing__workshop").get(pk=pk, listing__workshop__owner=user)


def sales_of_owner(user: User) -> QuerySet[SaleRecord]:
    """The sales the owner recorded, latest sale first."""
    return SaleRecord.objects.filter(workshop__owner=user).select_related("product").order_by("-sold_on", "-id")


def sale_of_owner(user: User, pk: int) -> SaleRecord:
    """One sale of the owner's (``SaleRecord.DoesNotExist`` for anyone else's: the view's 404)."""
    return SaleRecord.objects.select_related("workshop").get(pk=pk, workshop__owner=user)


def sale_totals_of_owner(user: User) -> dict[str, int]:
    """Her recorded sales added up: ``count``, ``units``, ``amount_rials`` (one query)."""
    totals = SaleRecord.objects.filter(workshop__owner=user).aggregate(
        count=Count("pk"), units=Sum("units"), amount_rials=Sum("amount_rials")
    )
    return {key: int(value or 0) for key, value in totals.items()}
