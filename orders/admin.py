from django.contrib import admin

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin

from .models import AllocationRun, Delivery, DeliveryLine, Order, OutputReport, Pickup, PickupLine, Quota, SheetBatch


@admin.register(Order)
class OrderAdmin(ProvinceScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    province_field = "health_center__province"
    list_display = ["number", "health_center", "product", "quantity", "needed_by", "priority", "status"]
    list_filter = ["status", "priority", "product"]
    search_fields = ["number", "health_center__name"]
    list_select_related = ["health_center", "product"]
    # Status, quantities and money change only through the order pages' services (lifecycle rules, locks, audit).
    readonly_fields = [
        "number",
        "health_center",
        "product",
        "quantity",
        "unit_cost_rials",
        "status",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False  # orders get their number and audit entry from orders.services.order_create

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Quota)
class QuotaAdmin(ReadOnlyAdminMixin, ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["order", "workshop", "quantity", "due_date", "status", "produced_units", "accepted_units"]
    list_filter = ["status"]
    search_fields = ["order__number", "workshop__name"]
    list_select_related = ["order", "workshop"]


@admin.register(OutputReport)
class OutputReportAdmin(ReadOnlyAdminMixin, ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "quota__workshop__province"
    list_display = ["quota", "report_date", "quantity", "reported_by", "created_at", "corrected_at"]
    list_select_related = ["quota__order", "quota__workshop", "reported_by"]


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    list_display = ["pk", "created_by", "dry_run", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "dry_run"]
    list_select_related = ["created_by"]


class PickupLineInline(admin.TabularInline):
    model = PickupLine
    extra = 0
    can_delete = False
    readonly_fields = ["quota", "collected_units", "accepted_units", "rejected_units", "reject_reason", "reject_note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pickup)
class PickupAdmin(ReadOnlyAdminMixin, ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["pk", "workshop", "pickup_date", "recorded_by", "created_at"]
    list_select_related = ["workshop", "recorded_by"]
    inlines = [PickupLineInline]


class DeliveryLineInline(admin.TabularInline):
    model = DeliveryLine
    extra = 0
    can_delete = False
    readonly_fields = ["quota", "units", "received_units", "rejected_units", "reject_reason"]

    def has_add_permission(self, request, obj=None):
        return False


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
