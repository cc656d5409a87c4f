"""The owner's showcase pages: her listing (consent, details, photos, revoking) and the buyers' inquiries."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.permissions import user_can
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from workshops.selectors import workshop_of_owner

from ..forms import AnswerForm, ListingForm, PhotoForm
from ..models import MAX_PHOTOS, Inquiry, ListingPhoto
from ..selectors import inquiries_of_owner, inquiry_of_owner, listing_of_workshop, photo_of_owner
from ..services import inquiry_answer, listing_revoke, listing_save, photo_add, photo_remove


class OwnerListingMixin(RoleRequiredMixin):
    """Anonymous: login; another role: 403; an owner without a workshop: registering it comes first."""

    capability = "list_workshop"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_can(request.user, self.capability):
            raise PermissionDenied
        self.workshop = workshop_of_owner(request.user)
        if self.workshop is None:
            return redirect("workshops:register")
        return super().dispatch(request, *args, **kwargs)


class ListingEditView(OwnerListingMixin, View):
    """GET: her listing's state, the form and the photos. POST: save and send to review (consent ticked)."""

    template_name = "sales/owner/listing.html"

    def render_page(self, *, form=None, photo_form=None, status=200):
        listing = listing_of_workshop(self.workshop)
        if form is None:
            if listing is not None:
                initial = {
                    "shop_name": listing.shop_name,
                    "products": list(listing.products.all()),
                    "description": listing.description,
                    "takes_commercial_orders": listing.takes_commercial_orders,
                    "consent": listing.consent,
                }
            else:
                capacities = self.workshop.capacities.all()
                initial = {"shop_name": self.workshop.name, "products": [c.product for c in capacities]}
            form = ListingForm(initial=initial)
        photos = list(listing.photos.all()) if listing else []
        context = {
            "listing": listing,
            "workshop": self.workshop,
            "form": form,
            "photo_form": photo_form or PhotoForm(),
            "photos": photos,
            "may_add_photo": listing is not None and len(photos) < MAX_PHOTOS,
            "max_photos": MAX_PHOTOS,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page()

    def post(self, request):
        form = ListingForm(request.POST)
        if form.is_valid():
            with refusal_shown(form) as refused:
                listing_save(workshop=self.workshop, actor=request.user, **form.cleaned_data)
            if not refused:
                messages.success(request, _("Your listing is saved and sent to your coordinator for review."))
                return redirect("my-listing:edit")
        return self.render_page(form=form)


class PhotoAddView(ListingEditView):
    http_method_names = ["post"]

    def post(self, request):
        listing = listing_of_workshop(self.workshop)
        if listing is None:
            messages.info(request, _("Save your listing first; then add photos."))
            return redirect("my-listing:edit")
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            with refusal_shown(form) as refused:
                photo_add(listing=listing, actor=request.user, data=form.cleaned_data["photo"].read())
            if not refused:
                messages.success(request, _("The photo is added. Your coordinator reviews it before it is shown."))
                return redirect("my-listing:edit")
        return self.render_page(photo_form=form)


class PhotoRemoveView(OwnerListingMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        try:
            photo = photo_of_owner(request.user, pk)
        except ListingPhoto.DoesNotExist:
            raise Http404 from None
        with refusal_shown(request=request) as refused:
            photo_remove(photo=photo, actor=request.user)
        if not refused:
            messages.success(request, _("The photo is removed."))
        return redirect("my-listing:edit")


class RevokeView(OwnerListingMixin, View):
    """Her consent taken back: the listing and its photos leave the showcase at once."""

    http_method_names = ["post"]

    def post(self, request):
        listing = listing_of_workshop(self.workshop)
        if listing is None:
            return redirect("my-listing:edit")  # nothing was ever listed: nothing to take back
        with refusal_shown(request=request) as refused:
            listing_revoke(listing=listing, actor=request.user)
        if not refused:
            messages.success(request, _("Your listing and photos are no longer shown on the showcase."))
        return redirect("my-listing:edit")


class InquiryListView(OwnerListingMixin, ListView):
    template_name = "sales/owner/inquiries.html"
    context_object_name = "inquiries"
    paginate_by = 20

    def get_queryset(self):
        return inquiries_of_owner(self.request.user)


class InquiryDetailView(OwnerListingMixin, View):
    """GET: the buyer's message and the answer form. POST: send the answer to the buyer by SMS."""

    template_name = "sales/owner/inquiry.html"

    def get_inquiry(self, pk: int) -> Inquiry:
        try:
            return inquiry_of_owner(self.request.user, pk)
        except Inquiry.DoesNotExist:
            raise Http404 from None

    def get(self, request, pk: int):
        inquiry = self.get_inquiry(pk)
        return render(request, self.template_name, {"inquiry": inquiry, "form": AnswerForm()})

    def post(self, request, pk: int):
        inquiry = self.get_inquiry(pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            with refusal_shown(form) as refused:
                inquiry_answer(
                    inquiry=inquiry,
                    actor=request.user,
                    answer=form.cleaned_data["answer"],
                    share_number=form.cleaned_data["share_number"],
                )
            if not refused:
                messages.success(request, _("Your answer is sent to the buyer by SMS."))
                return redirect("my-listing:inquiry", pk=inquiry.pk)
        return render(request, self.template_name, {"inquiry": inquiry, "form": form})
