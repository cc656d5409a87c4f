from django.contrib import admin

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin

from .models import (
    DirectoryImport,
    Workshop,
    WorkshopCapacity,
    WorkshopChangeRequest,
    WorkshopNote,
    WorkshopUnavailability,
)


class WorkshopCapacityInline(admin.TabularInline):
    model = WorkshopCapacity
    extra = 0


class WorkshopUnavailabilityInline(admin.TabularInline):
    model = WorkshopUnavailability
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(ProvinceScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    list_display = ["name", "owner", "province", "city", "status", "is_woman_head_of_household"]
    list_filter = ["status", "province", "is_woman_head_of_household"]
    search_fields = ["name", "owner__full_name", "owner__mobile", "national_id"]
    list_select_related = ["owner", "province", "city"]
    raw_id_fields = ["owner"]
    # Status changes go through the coordinator's verify/suspend pages, which ask for a reason.
    readonly_fields = ["status", "status_reason", "created_at"]
    inlines = [WorkshopCapacityInline, WorkshopUnavailabilityInline]


@admin.register(WorkshopCapacity)
class WorkshopCapacityAdmin(ProvinceScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["workshop", "product", "units_per_day"]
    list_filter = ["product"]
    list_select_related = ["workshop", "product"]


@admin.register(WorkshopUnavailability)
class WorkshopUnavailabilityAdmin(ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["workshop", "start_date", "end_date", "reason"]
    list_select_related = ["workshop"]


@admin.register(WorkshopNote)
class WorkshopNoteAdmin(ProvinceScopedAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["workshop", "author", "created_at", "text"]
    list_select_related = ["workshop", "author"]
    readonly_fields = ["author", "created_at"]


@admin.register(WorkshopChangeRequest)
class WorkshopChangeRequestAdmin(ProvinceScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Read-only: requests are decided on the coordinator's page, which applies and audits the change."""

    province_field = "workshop__province"
    list_display = ["workshop", "new_city", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["workshop", "new_city", "decided_by"]


@admin.register(DirectoryImport)
class DirectoryImportAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Uploaded and confirmed on the coordinator's import pages; the admin only shows them."""

    list_display = ["file_name", "kind", "uploaded_by", "uploaded_at", "imported_at"]
    list_filter = ["kind"]
    list_select_related = ["uploaded_by"]
