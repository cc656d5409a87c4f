from django.contrib import admin

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin

from .models import Campaign, Donor, LedgerEntry, Pledge, Receipt


@admin.register(Donor)
class DonorAdmin(HamdeliModelAdmin):
    list_display = ["__str__", "kind", "registration_number"]
    list_filter = ["kind"]
    search_fields = ["user__full_name", "user__mobile", "registration_number"]
    raw_id_fields = ["user"]


@admin.register(Pledge)
class PledgeAdmin(ProvinceScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    province_field = "order__health_center__province"
    list_display = ["donor", "order", "campaign", "amount_rials", "status", "is_anonymous", "created_at"]
    list_filter = ["status", "is_anonymous"]
    list_select_related = ["donor__user", "order", "campaign"]
    raw_id_fields = ["donor", "order", "campaign"]


@admin.register(Campaign)
class CampaignAdmin(AuditedAdminMixin, HamdeliModelAdmin):
    list_display = ["name", "goal_rials", "starts_on", "ends_on", "created_by"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """The ledger is append-only: services write it, the admin only shows it."""

    list_display = ["created_at", "kind", "amount_rials", "pledge", "quota", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["pledge", "quota__order", "quota__workshop", "created_by"]
    date_hierarchy = "created_at"


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Receipts are issued by pledge_confirm and rendered by a task: the admin only shows them."""

    list_display = ["number", "issued_on", "amount_rials", "pledge", "download_count", "created_at"]
    search_fields = ["number"]
    list_select_related = ["pledge__donor__user", "pledge__order", "pledge__campaign"]
