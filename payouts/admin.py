"""The payouts admin: batches a coordinator covers entirely (``payouts.services.batches_for``), lines of her provinces.

National coordinators and superusers see everything. Shebas of paid lines are masked here: the coordinator who pays
reads them on the batch page and its bank CSV.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_audit import mask_private
from core.admin_base import HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin, ReadOnlyInline

from .models import PayoutBatch, PayoutLine
from .services import batches_for


def paid_sheba(line: PayoutLine) -> str:
    return mask_private(line.sheba) if line.sheba else "—"


paid_sheba.short_description = _("Sheba paid to")


class PayoutLineInline(ReadOnlyInline):
    model = PayoutLine
    fields = ["workshop", paid_sheba, "quota", "units", "piece_rate_rials", "amount_rials", "ledger_entry"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Batches are made, paid and cancelled by payouts.services (which writes the ledger): the admin only shows them."""

    list_display = ["number", "period_start", "period_end", "status", "bank_reference", "paid_on", "created_by"]
    list_filter = ["status"]
    search_fields = ["number", "bank_reference"]
    list_select_related = ["created_by"]
    inlines = [PayoutLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request) & batches_for(request.user)


@admin.register(PayoutLine)
class PayoutLineAdmin(ProvinceScopedAdminMixin, ReadOnlyAdminMixin, HamdeliModelAdmin):
    province_field = "quota__order__health_center__province"
    list_display = ["batch", "workshop", "paid_sheba", "quota", "units", "amount_rials", "ledger_entry"]
    exclude = ["sheba"]
    readonly_fields = ["paid_sheba"]

    @admin.display(description=_("Sheba paid to"))
    def paid_sheba(self, line: PayoutLine) -> str:
        return paid_sheba(line)

    list_filter = ["batch__status"]
    search_fields = ["batch__number", "workshop__name"]
    list_select_related = ["batch", "workshop", "quota__order", "ledger_entry"]
