from django.contrib import admin

from core.admin_base import HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin, ReadOnlyInline

from .models import Delivery, DeliveryLine, Pickup, PickupLine, SheetBatch


class PickupLineInline(ReadOnlyInline):
    model = PickupLine
    readonly_fields = ["quota", "collected_units", "accepted_units", "rejected_units", "reject_reason", "reject_note"]


@admin.register(Pickup)
class PickupAdmin(ReadOnlyAdminMixin, ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["pk", "workshop", "pickup_date", "recorded_by", "created_at"]
    list_select_related = ["workshop", "recorded_by"]
    inlines = [PickupLineInline]


class DeliveryLineInline(ReadOnlyInline):
    model = DeliveryLine
    readonly_fields = ["quota", "units", "received_units", "rejected_units", "reject_reason"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "health_center__province"
    list_display = ["code", "health_center", "planned_date", "status", "courier_name"]
    list_filter = ["status"]
    search_fields = ["code", "short_code", "health_center__name"]
    list_select_related = ["health_center"]
    inlines = [DeliveryLineInline]


@admin.register(SheetBatch)
class SheetBatchAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    list_display = ["pk", "planned_date", "province_code", "status", "done", "total", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["created_by"]


@admin.register(PickupLine)
class PickupLineAdmin(ReadOnlyAdminMixin, ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "quota__workshop__province"
    list_display = ["pickup", "quota", "collected_units", "accepted_units", "rejected_units", "reject_reason"]
    list_filter = ["reject_reason"]
    list_select_related = ["pickup__workshop", "quota__order", "quota__workshop"]


@admin.register(DeliveryLine)
class DeliveryLineAdmin(ReadOnlyAdminMixin, ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "delivery__health_center__province"
    list_display = ["delivery", "quota", "units", "received_units", "rejected_units"]
    list_select_related = ["delivery", "quota__order", "quota__workshop"]
