"""The pickup list as a table (HTML, and CSV/XLSX through ``core.exports.SafeExportMixin``).

Totals come from the annotations of ``pickup_selectors.pickups_in_scope``, so
every column sorts in SQL.
"""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import jalali
from core.i18n import page_is_persian
from core.tables import ColumnClassesMixin, NumberColumn
from core.templatetags.persian import num

from ..models import Pickup


class PickupTable(ColumnClassesMixin, tables.Table):
    pickup_date = tables.Column(
        verbose_name=_("Date"), linkify=("pickups:detail", {"pk": tables.A("pk")}), order_by=("pickup_date", "pk")
    )
    workshop = tables.Column(verbose_name=_("Workshop"), order_by=("workshop__name", "pk"))
    province = tables.Column(
        verbose_name=_("Province"), accessor="workshop__province", order_by=("workshop__province__name_fa", "pk")
    )
    city = tables.Column(verbose_name=_("City"), accessor="workshop__city", order_by=("workshop__city__name_fa", "pk"))
    total_collected = NumberColumn(verbose_name=_("Collected"))
    total_accepted = NumberColumn(verbose_name=_("Accepted"))
    total_rejected = tables.Column(verbose_name=_("Rejected"))
    recorded_by = tables.Column(verbose_name=_("Recorded by"), order_by=("recorded_by__full_name", "pk"))

    class Meta:
        model = Pickup
        fields = []
        sequence = [
            "pickup_date",
            "workshop",
            "province",
            "city",
            "total_collected",
            "total_accepted",
            "total_rejected",
            "recorded_by",
        ]
        attrs = {"class": "table pickup-table"}
        empty_text = _("No pickup matches these filters.")
        order_by = ("-pickup_date",)

    # --- HTML -------------------------------------------------------------------------------------------

    def render_pickup_date(self, value):
        return jalali.format_short(value, persian=page_is_persian())

    def render_workshop(self, record):
        return record.workshop.name

    def render_recorded_by(self, record):
        return record.recorded_by.full_name

    def render_total_rejected(self, value):
        if value:
            return format_html('<span class="badge warn">{}</span>', num(value))
        return num(value)

    # --- CSV / XLSX -------------------------------------------------------------------------------------

    def value_pickup_date(self, value):
        return jalali.format_short(value, persian=False)

    def value_workshop(self, record):
        return record.workshop.name

    def value_province(self, record):
        return str(record.workshop.province)

    def value_city(self, record):
        return str(record.workshop.city)

    def value_total_rejected(self, value):
        return value

    def value_recorded_by(self, record):
        return record.recorded_by.full_name
