"""The dashboard's per-province and per-product tables (sortable; CSV/XLSX through ``core.exports``).

Rows are ``reports.dashboard.Figures``; the figures are defined in that module's docstring.
"""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.i18n import page_is_persian
from core.tables import NumberColumn
from core.templatetags.persian import num


class PercentColumn(tables.Column):
    """A whole percent (``۴۵٪``) on the page, the plain number in exports; empty when there is nothing to divide by."""

    def render(self, value):
        return f"{num(value)}٪" if page_is_persian() else f"{value}%"

    def value(self, value):
        return value


class FiguresTable(tables.Table):
    demand_units = NumberColumn(verbose_name=_("Demand (units)"))
    funded_rials = NumberColumn(verbose_name=_("Funded (rials)"))
    releasable_units = NumberColumn(verbose_name=_("Releasable (units)"))
    allocated_units = NumberColumn(verbose_name=_("Allocated"))
    produced_units = NumberColumn(verbose_name=_("Produced"))
    accepted_units = NumberColumn(verbose_name=_("Accepted"))
    delivered_units = NumberColumn(verbose_name=_("Sent"))
    confirmed_units = NumberColumn(verbose_name=_("Confirmed received"))
    workshops_active = NumberColumn(verbose_name=_("Workshops active"))
    woman_headed_workshops_active = NumberColumn(verbose_name=_("Women-headed workshops active"))
    income_paid_rials = NumberColumn(verbose_name=_("Paid to workshops (rials)"))
    # xgettext:no-python-format
    funded_percent = PercentColumn(verbose_name=_("Funded % of demand"), orderable=True)
    # xgettext:no-python-format
    delivered_percent = PercentColumn(verbose_name=_("Sent % of demand"), orderable=True)
    # xgettext:no-python-format
    confirmed_percent = PercentColumn(verbose_name=_("Confirmed % of demand"), orderable=True)

    class Meta:
        attrs = {"class": "table dashboard-table"}
        empty_text = _("Nothing happened in this period.")
        order_by = ("name",)


class ProvinceFiguresTable(FiguresTable):
    name = tables.Column(verbose_name=_("Province"))

    class Meta(FiguresTable.Meta):
        sequence = ("name", "...")


class ProductFiguresTable(FiguresTable):
    name = tables.Column(verbose_name=_("Product"))

    class Meta(FiguresTable.Meta):
        sequence = ("name", "...")
