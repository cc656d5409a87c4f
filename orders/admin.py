from django.contrib import admin

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin

from .models import Order


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
