from django.contrib import admin

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin
from core.scoping import sees_all_provinces

from .models import Campaign, Donor, LedgerEntry, PaymentAccount, PayoutBatch, PayoutLine, Pledge, Receipt


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


class PayoutLineInline(admin.TabularInline):
    model = PayoutLine
    fields = ["workshop", "quota", "units", "piece_rate_rials", "amount_rials", "ledger_entry"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Batches are made, paid and cancelled by donors.payouts (which writes the ledger): the admin only shows them."""

    list_display = ["number", "period_start", "period_end", "status", "bank_reference", "paid_on", "created_by"]
    list_filter = ["status"]
    search_fields = ["number", "bank_reference"]
    list_select_related = ["created_by"]
    inlines = [PayoutLineInline]


@admin.register(PayoutLine)
class PayoutLineAdmin(ProvinceScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    province_field = "quota__order__health_center__province"
    list_display = ["batch", "workshop", "quota", "units", "amount_rials", "ledger_entry"]
    list_filter = ["batch__status"]
    search_fields = ["batch__number", "workshop__name"]
    list_select_related = ["batch", "workshop", "quota__order", "ledger_entry"]


@admin.register(PaymentAccount)
class PaymentAccountAdmin(AuditedAdminMixin, HamdeliModelAdmin):
    """Where donors pay: every coordinator may read it (donors ask her), only a national one changes it."""

    list_display = ["__str__", "province", "sheba", "card_number", "is_active", "updated_at"]
    list_filter = ["is_active"]
    list_select_related = ["province"]

    def has_add_permission(self, request):
        return sees_all_provinces(request.user)

    def has_change_permission(self, request, obj=None):
        return sees_all_provinces(request.user)

    def has_delete_permission(self, request, obj=None):
        return sees_all_provinces(request.user)
