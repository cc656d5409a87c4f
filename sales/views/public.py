"""The public showcase, a listing's page with the buyer's inquiry form, and the one door to listing photos."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from core.client_ip import client_ip
from core.rate_limit import hit, too_many_attempts
from core.refusals import refusal_shown

from ..filters import ShowcaseFilter
from ..forms import InquiryForm
from ..models import Listing, ListingPhoto
from ..selectors import photo_for, public_listing, public_listings
from ..services import inquiry_send


def inquiry_limits() -> tuple[tuple[str, int, int], ...]:
    """(scope, limit, window in minutes): per address, so one sender cannot flood; per listing, so many cannot."""
    return (
        ("sales-inquiry-address", getattr(settings, "SALES_INQUIRIES_PER_ADDRESS", 5), 60),
        ("sales-inquiry-listing", getattr(settings, "SALES_INQUIRIES_PER_LISTING", 20), 24 * 60),
    )


class ShowcaseView(FilterView):
    """Published listings: the shop's name, city and province, products, photos, commercial orders or not."""

    template_name = "sales/showcase/list.html"
    filterset_class = ShowcaseFilter
    context_object_name = "listings"
    paginate_by = 12

    def get_queryset(self):
        return public_listings()


class ShowcaseDetailView(View):
    """GET: the listing and the inquiry form (no account needed). POST: the inquiry, within the rate limits."""

    template_name = "sales/showcase/detail.html"

    def get_listing(self, pk: int) -> Listing:
        try:
            return public_listing(pk)
        except Listing.DoesNotExist:
            raise Http404 from None

    def get(self, request, pk: int):
        listing = self.get_listing(pk)
        return render(request, self.template_name, {"listing": listing, "form": InquiryForm()})

    def post(self, request, pk: int):
        listing = self.get_listing(pk)
        address = client_ip(request)
        for scope, limit, minutes in inquiry_limits():
            key = address if scope.endswith("address") else str(listing.pk)
            if not hit(scope, key, limit=limit, window_minutes=minutes):
                return too_many_attempts(request, minutes=minutes)
        form = InquiryForm(request.POST)
        if form.is_valid():
            refused = False
            if not form.is_bot():  # a bot is thanked like a person, and nothing is sent
                with refusal_shown(form) as refused:
                    inquiry_send(
                        listing=listing,
                        buyer_name=form.cleaned_data["name"],
                        buyer_mobile=form.cleaned_data["mobile"],
                        message=form.cleaned_data["message"],
                    )
            if not refused:
                messages.success(request, _("Your message is sent. The workshop answers you by SMS."))
                return redirect("showcase:detail", pk=listing.pk)
        return render(request, self.template_name, {"listing": listing, "form": form})


class PhotoView(View):
    """A listing photo, to whom may see it (``sales.selectors.photo_for``); 404 to everyone else.

    ``private, no-cache``: a browser keeps its copy but asks each time (a 304 costs a few bytes), so a photo of a
    revoked listing is not shown again from any cache between us and the reader.
    """

    def get(self, request, pk: int):
        try:
            photo = photo_for(request.user, pk)
        except ListingPhoto.DoesNotExist:
            raise Http404 from None
        etag = f'"{hashlib.sha256(photo.image.name.encode()).hexdigest()[:32]}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            try:
                response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
            except FileNotFoundError:
                raise Http404 from None
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        return response
