"""The delivery list as a table (HTML, and CSV/XLSX through ``core.exports.SafeExportMixin``)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import jalali
from core.i18n import page_is_persian
from core.tables import NumberColumn
from core.templatetags.persian import code

from ..models import Delivery, DeliveryStatus

STATUS_BADGES = {
    DeliveryStatus.PLANNED: "",
    DeliveryStatus.DISPATCHED: "warn",
    DeliveryStatus.DELIVERED: "ok",
    DeliveryStatus.CONFIRMED: "ok",
    DeliveryStatus.DISPUTED: "danger",
    DeliveryStatus.CANCELLED: "danger",
}


class DeliveryTable(tables.Table):
    code = tables.Column(verbose_name=_("Delivery number"), linkify=("deliveries:detail", {"pk": tables.A("pk")}))
    health_center = tables.Column(verbose_name=_("Health center"), order_by=("health_center__name", "pk"))
    province = tables.Column(
        verbose_name=_("Province"),
        accessor="health_center__province",
        order_by=("health_center__province__name_fa", "pk"),
    )
    planned_date = tables.Column(verbose_name=_("Planned date"), order_by=("planned_date", "pk"))
    status = tables.Column(verbose_name=_("Status"))
    courier_name = tables.Column(verbose_name=_("Courier"))
    line_count = NumberColumn(verbose_name=_("Lines"), order_by=("line_count", "pk"))
    total_units = NumberColumn(verbose_name=_("Units"), order_by=("total_units", "pk"))

    class Meta:
        model = Delivery
        fields = []
        sequence = [
            "code",
            "health_center",
            "province",
            "planned_date",
            "status",
            "courier_name",
            "line_count",
            "total_units",
        ]
        attrs = {"class": "table delivery-table"}
        empty_text = _("No delivery matches these filters.")
        order_by = ("-planned_date",)

    # --- HTML -------------------------------------------------------------------------------------------

    def render_code(self, value):
        return format_html('<span class="order-number">{}</span>', code(value))

    def render_health_center(self, record):
        return record.health_center.name

    def render_province(self, record):
        return record.health_center.province.name

    def render_planned_date(self, record):
        return format_html(
            '<span class="order-date">{}</span>', jalali.format_short(record.planned_date, persian=page_is_persian())
        )

    def render_status(self, record, value):
        # value is record.get_status_display() already: django-tables2 shows a choice field's label
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, ""), value)

    # --- CSV / XLSX -------------------------------------------------------------------------------------

    def value_code(self, value):
        return value

    def value_health_center(self, record):
        return record.health_center.name

    def value_province(self, record):
        return record.health_center.province.name

    def value_planned_date(self, record):
        return jalali.format_short(record.planned_date, persian=False)

    def value_status(self, record):
        return str(record.get_status_display())
