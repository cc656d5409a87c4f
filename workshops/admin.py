from django.contrib import admin

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin

from .models import Workshop, WorkshopCapacity


class WorkshopCapacityInline(admin.TabularInline):
    model = WorkshopCapacity
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(ProvinceScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    list_display = ["name", "owner", "province", "city", "status", "is_woman_head_of_household"]
    list_filter = ["status", "province", "is_woman_head_of_household"]
    search_fields = ["name", "owner__full_name", "owner__mobile"]
    list_select_related = ["owner", "province", "city"]
    raw_id_fields = ["owner"]
    inlines = [WorkshopCapacityInline]


@admin.register(WorkshopCapacity)
class WorkshopCapacityAdmin(ProvinceScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    province_field = "workshop__province"
    list_display = ["workshop", "product", "units_per_day"]
    list_filter = ["product"]
    list_select_related = ["workshop", "product"]
