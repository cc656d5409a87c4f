"""The donors admin: every list of money is scoped like the coordinator's own pages.

A coordinator sees pledges (and their donors, ledger entries and receipts) of her
provinces' orders plus campaign pledges (``donors.selectors.pledges_in_scope``);
national coordinators and superusers see everything. Payout batches have their own
admin (``payouts/admin.py``).
"""

from django.contrib import admin
from django.db.models import Q

from core.admin_base import AuditedAdminMixin, HamdeliModelAdmin, ReadOnlyAdminMixin
from core.persian import to_latin_digits
from core.scoping import sees_all_provinces

from .models import (
    BankStatement,
    Campaign,
    Donor,
    LedgerDaySeal,
    LedgerEntry,
    OnlinePayment,
    PaymentAccount,
    Pledge,
    Receipt,
    StatementLine,
)
from .selectors import pledges_in_scope


class PledgeScopedAdminMixin:
    """Rows whose pledge (through ``pledge_path``) is in the user's scope of pledges."""

    pledge_path = "pledge"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_all_provinces(request.user):
            return queryset
        return queryset.filter(**{f"{self.pledge_path}__in": pledges_in_scope(request.user).values("pk")}).distinct()


@admin.register(Donor)
class DonorAdmin(PledgeScopedAdminMixin, HamdeliModelAdmin):
    """Donors who gave to the coordinator's provinces (or to a campaign)."""

    pledge_path = "pledges"
    list_display = ["__str__", "kind", "registration_number"]
    list_filter = ["kind"]
    search_fields = ["user__full_name", "user__mobile", "registration_number"]
    raw_id_fields = ["user"]


@admin.register(Pledge)
class PledgeAdmin(PledgeScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    pledge_path = "pk"
    search_fields = ["reference", "donor__user__full_name", "order__number", "bank_reference"]

    def get_search_results(self, request, queryset, search_term):
        # A reference read out over the phone is typed with Persian digits as often as with Latin ones.
        return super().get_search_results(request, queryset, to_latin_digits(search_term))

    list_display = ["reference", "donor", "order", "campaign", "amount_rials", "status", "is_anonymous", "created_at"]
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

    def get_queryset(self, request):
        # An entry about an order is seen by the coordinators of that order's province (both, for a move
        # between provinces); one between a donor and a campaign only, by every coordinator, like campaign pledges.
        entries = super().get_queryset(request)
        if sees_all_provinces(request.user):
            return entries
        if not request.user.provinces.exists():
            return entries.none()
        provinces = request.user.provinces.values("pk")
        return entries.filter(
            Q(from_order__health_center__province__in=provinces)
            | Q(to_order__health_center__province__in=provinces)
            | (Q(from_order__isnull=True) & Q(to_order__isnull=True))
        )


@admin.register(Receipt)
class ReceiptAdmin(PledgeScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Receipts are issued by pledge_confirm and rendered by a task: the admin only shows them."""

    list_display = ["number", "issued_on", "amount_rials", "pledge", "download_count", "created_at"]
    search_fields = ["number"]
    list_select_related = ["pledge__donor__user", "pledge__order", "pledge__campaign"]


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


@admin.register(LedgerDaySeal)
class LedgerDaySealAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Written by the nightly seal task only; ``ledger_check`` re-computes them."""

    list_display = ["day", "entry_count", "digest", "sealed_at"]
    date_hierarchy = "day"


class StatementLineInline(admin.TabularInline):
    model = StatementLine
    fields = ["row_number", "booked_on", "amount_rials", "description", "bank_reference", "status", "pledge", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BankStatement)
class BankStatementAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Uploaded and confirmed on the donation desk's statement pages; the admin only shows them."""

    list_display = ["file_name", "uploaded_by", "uploaded_at"]
    list_select_related = ["uploaded_by"]
    inlines = [StatementLineInline]


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    list_display = ["statement", "row_number", "booked_on", "amount_rials", "status", "pledge"]
    list_filter = ["status"]
    list_select_related = ["statement", "pledge"]


@admin.register(OnlinePayment)
class OnlinePaymentAdmin(PledgeScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Written only by online giving's services (the bank's answers); the admin shows them."""

    list_display = ["authority", "amount_rials", "status", "gateway", "bank_reference", "created_at", "settled_at"]
    list_filter = ["status", "gateway"]
    list_select_related = ["pledge"]
    search_fields = ["authority", "bank_reference"]
