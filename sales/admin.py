"""The sales records in the admin, read only: services write them (consent, review, answers, sales) with their audit."""

from django.contrib import admin

from core.admin_base import HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin

from .models import Inquiry, Listing, ListingPhoto, SaleRecord


@admin.register(Listing)
class ListingAdmin(ProvinceScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["shop_name", "workshop", "status", "consent", "takes_commercial_orders", "submitted_at"]
    list_filter = ["status", "consent"]
    search_fields = ["shop_name", "workshop__name"]
    list_select_related = ["workshop"]


@admin.register(ListingPhoto)
class ListingPhotoAdmin(ProvinceScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    province_field = "listing__workshop__province"
    list_display = ["listing", "width", "height", "created_at"]
    list_select_related = ["listing"]


@admin.register(Inquiry)
class InquiryAdmin(ProvinceScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    province_field = "listing__workshop__province"
    list_display = ["listing", "buyer_name", "created_at", "answered_at", "shared_number"]
    list_select_related = ["listing"]


@admin.register(SaleRecord)
class SaleRecordAdmin(ProvinceScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["workshop", "sold_on", "channel", "units", "amount_rials", "created_at"]
    list_filter = ["channel"]
    list_select_related = ["workshop"]
