from django.contrib import admin

from core.admin_base import HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin

from .models import AllocationRun, OutputReport, Quota


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
