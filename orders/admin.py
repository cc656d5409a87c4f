from django.contrib import admin

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin

from .models import AllocationRun, Order, OutputReport, Quota


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
        "confirmed_funds_rials",
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
