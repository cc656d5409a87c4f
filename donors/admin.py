from django.contrib import admin

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin

from .models import Donor, Pledge


@admin.register(Donor)
class DonorAdmin(HamdeliModelAdmin):
    list_display = ["__str__", "kind", "registration_number"]
    list_filter = ["kind"]
    search_fields = ["user__full_name", "user__mobile", "registration_number"]
    raw_id_fields = ["user"]


@admin.register(Pledge)
class PledgeAdmin(ProvinceScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    province_field = "order__health_center__province"
    list_display = ["donor", "order", "amount_rials", "status", "is_anonymous", "created_at"]
    list_filter = ["status", "is_anonymous"]
    list_select_related = ["donor__user", "order"]
    raw_id_fields = ["donor", "order"]
