"""The coordinator's review of her provinces' listings (publish or return with a reason) and the marketplace export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.site import absolute_url

from ..exports import as_csv, as_json, export_rows
from ..forms import ReturnForm
from ..models import Listing
from ..selectors import export_listings, listing_in_scope, listings_for_review
from ..services import listing_publish, listing_return


class ReviewMixin(RoleRequiredMixin):
    capability = "review_listings"

    def get_listing(self, pk: int) -> Listing:
        try:
            return listing_in_scope(self.request.user, pk)
        except Listing.DoesNotExist:
            raise Http404 from None


class ReviewListView(ReviewMixin, ListView):
    """Her provinces' listings, those waiting for review first."""

    template_name = "sales/review/list.html"
    context_object_name = "listings"
    paginate_by = 25

    def get_queryset(self):
        return listings_for_review(self.request.user)


class ReviewDetailView(ReviewMixin, View):
    template_name = "sales/review/detail.html"

    def render_page(self, listing: Listing, return_form=None):
        context = {"listing": listing, "return_form": return_form or ReturnForm(prefix="return")}
        return render(self.request, self.template_name, context)

    def get(self, request, pk: int):
        return self.render_page(self.get_listing(pk))


class ReviewActionView(ReviewDetailView):
    """POST ``publish`` (a button) or ``return`` (with a reason the owner reads)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        listing = self.get_listing(pk)
        if action == "publish":
            with refusal_shown(request=request) as refused:
                listing_publish(listing=listing, actor=request.user)
            if not refused:
                messages.success(request, _("The listing is published on the showcase."))
            return redirect("listings:detail", pk=listing.pk)
        if action != "return":
            raise Http404
        form = ReturnForm(request.POST, prefix="return")
        if form.is_valid():
            with refusal_shown(form) as refused:
                listing_return(listing=listing, actor=request.user, reason=form.cleaned_data["reason"])
            if not refused:
                messages.success(request, _("The listing is returned to the owner with your reason."))
                return redirect("listings:detail", pk=listing.pk)
        return self.render_page(listing, return_form=form)


class ExportView(ReviewMixin, View):
    """Her provinces' published listings, one row per product, as CSV (UTF-8 with BOM) or JSON."""

    def get(self, request, fmt: str):
        if fmt not in ("csv", "json"):
            raise Http404

        def photo_url(photo_pk: int) -> str:
            return absolute_url(reverse("showcase:photo", kwargs={"pk": photo_pk}))

        rows = export_rows(export_listings(request.user), photo_url)
        if fmt == "csv":
            response = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(as_json(rows), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="hamdeli-sellers.{fmt}"'
        return response
