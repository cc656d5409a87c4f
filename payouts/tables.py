"""The coordinator's payout batch list as a table (HTML, and CSV/XLSX through ``SafeExportMixin``)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import jalali
from core.i18n import page_is_persian
from core.tables import NumberColumn
from core.templatetags.persian import code

from .models import PayoutBatch, PayoutBatchStatus

STATUS_BADGES = {PayoutBatchStatus.DRAFT: "warn", PayoutBatchStatus.PAID: "ok", PayoutBatchStatus.CANCELLED: "danger"}


def _date(value, *, persian: bool) -> str:
    return jalali.format_short(value, persian=persian) if value else ""


class PayoutBatchTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Payout number"), linkify=("payouts:detail", {"pk": tables.A("pk")}), order_by=("pk",)
    )
    period = tables.Column(verbose_name=_("Period"), accessor="period_start", order_by=("period_start", "pk"))
    provinces = tables.Column(verbose_name=_("Provinces"), accessor="pk", orderable=False)
    status = tables.Column(verbose_name=_("Status"))
    workshops = NumberColumn(verbose_name=_("Workshops"), accessor="workshop_count")
    units = NumberColumn(verbose_name=_("Units"), accessor="total_units")
    amount = NumberColumn(verbose_name=_("Amount (rials)"), accessor="total_rials")
    bank_reference = tables.Column(verbose_name=_("Bank reference"), default="—")
    paid_on = tables.Column(verbose_name=_("Paid on"), default="—")

    class Meta:
        model = PayoutBatch
        fields = []
        sequence = [
            "number",
            "period",
            "provinces",
            "status",
            "workshops",
            "units",
            "amount",
            "bank_reference",
            "paid_on",
        ]
        attrs = {"class": "table payout-table"}
        empty_text = _("No payout batch matches these filters.")
        order_by = ("-number",)

    def render_number(self, value):
        return code(value)

    def render_period(self, record):
        persian = page_is_persian()
        return f"{_date(record.period_start, persian=persian)} – {_date(record.period_end, persian=persian)}"

    def render_provinces(self, record):
        return "، ".join(province.name for province in record.provinces.all()) or "—"

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, ""), record.get_status_display()
        )

    def render_bank_reference(self, value):
        return code(value)

    def render_paid_on(self, value):
        return _date(value, persian=page_is_persian())

    def value_number(self, value):
        return value

    def value_period(self, record):
        return f"{_date(record.period_start, persian=False)} - {_date(record.period_end, persian=False)}"

    def value_provinces(self, record):
        return ", ".join(province.name for province in record.provinces.all())

    def value_status(self, record):
        return str(record.get_status_display())

    def value_bank_reference(self, value):
        return value or ""

    def value_paid_on(self, value):
        return _date(value, persian=False)
