"""The order list as a table (HTML, and CSV/XLSX through ``core.exports.SafeExportMixin``).

Every column sorts in SQL: funded % and releasable units through the
annotations of ``orders.funding.with_funding``, allocated and produced through
``with_unit_totals``. Cells show the values of ``orders.funding`` (the one
place that knows what "confirmed funds" means).
"""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import jalali
from core.i18n import page_is_persian
from core.tables import ColumnClassesMixin, NumberColumn
from core.templatetags.persian import code, num
from crisis.badges import severity_badge

from .funding import funded_percent, releasable_units
from .models import Order, OrderPriority, OrderStatus
from .urgency import MOST_URGENT_FIRST

STATUS_BADGES = {
    OrderStatus.REQUESTED: "warn",
    OrderStatus.OPEN: "",
    OrderStatus.FUNDED: "ok",
    OrderStatus.IN_PRODUCTION: "ok",
    OrderStatus.DELIVERED: "ok",
    OrderStatus.CLOSED: "",
    OrderStatus.CANCELLED: "danger",
}
PRIORITY_BADGES = {OrderPriority.URGENT: "danger", OrderPriority.HIGH: "warn", OrderPriority.NORMAL: ""}


def percent_text(value: int) -> str:
    return gettext("%(percent)s%%") % {"percent": num(value)}


class OrderTable(ColumnClassesMixin, tables.Table):
    number = tables.Column(verbose_name=_("Order number"), linkify=("orders:detail", {"pk": tables.A("pk")}))
    health_center = tables.Column(verbose_name=_("Health center"), order_by=("health_center__name", "pk"))
    product = tables.Column(verbose_name=_("Product"), order_by=("product__code", "pk"))
    quantity = NumberColumn(verbose_name=_("Quantity"))
    needed_by = tables.Column(verbose_name=_("Needed by"))
    priority = tables.Column(verbose_name=_("Priority"))
    # The crisis level at the health center's city today (crisis.selectors); sorted with priority as urgency.
    severity = tables.Column(verbose_name=_("Crisis level"), order_by=("-severity", "pk"))
    status = tables.Column(verbose_name=_("Status"))
    funded = tables.Column(verbose_name=_("Funded"), accessor="funded_pct", order_by=("funded_pct", "pk"))
    releasable = NumberColumn(verbose_name=_("Releasable units"), order_by=("releasable", "pk"))
    allocated = NumberColumn(verbose_name=_("Allocated"))
    produced = NumberColumn(verbose_name=_("Produced"))

    class Meta:
        model = Order
        fields = []
        sequence = [
            "number",
            "health_center",
            "product",
            "quantity",
            "needed_by",
            "priority",
            "severity",
            "status",
            "funded",
            "releasable",
            "allocated",
            "produced",
        ]
        attrs = {"class": "table order-table"}
        empty_text = _("No order matches these filters.")
        order_by = ("priority",)  # most urgent first: priority and crisis severity (orders.urgency)

    def order_priority(self, queryset, is_descending: bool):
        """Most urgent first when ascending (priority and crisis severity, ``orders.urgency``), not alphabetical.

        The list's selector (``orders.selectors.order_list``) has annotated the urgency already."""
        ordering = MOST_URGENT_FIRST
        if is_descending:
            ordering = tuple(field[1:] if field.startswith("-") else f"-{field}" for field in ordering)
        return queryset.order_by(*ordering), True

    # --- HTML -------------------------------------------------------------------------------------------

    def render_number(self, value):
        return format_html('<span class="order-number">{}</span>', code(value))

    def render_health_center(self, record):
        return record.health_center.name

    def render_product(self, record):
        return record.product.name

    def render_needed_by(self, record):
        date = jalali.format_short(record.needed_by, persian=page_is_persian())
        if getattr(record, "stale", False):
            return format_html(
                '<span class="order-date">{}</span> <span class="badge danger">{}</span>', date, gettext("Stale")
            )
        return format_html('<span class="order-date">{}</span>', date)

    def render_priority(self, record, value):
        # value is record.get_priority_display() already: django-tables2 shows a choice field's label
        return format_html('<span class="badge {}">{}</span>', PRIORITY_BADGES.get(record.priority, ""), value)

    def render_severity(self, value):
        return severity_badge(value)

    def render_status(self, record, value):
        # value is record.get_status_display() already: django-tables2 shows a choice field's label
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, ""), value)

    def render_funded(self, record):
        return percent_text(funded_percent(record))

    def render_releasable(self, record):
        return num(releasable_units(record))

    # --- CSV / XLSX -------------------------------------------------------------------------------------

    def value_number(self, value):
        return value

    def value_health_center(self, record):
        return record.health_center.name

    def value_product(self, record):
        return record.product.name

    def value_needed_by(self, record):
        return jalali.format_short(record.needed_by, persian=False)

    def value_priority(self, record):
        return str(record.get_priority_display())

    def value_status(self, record):
        stale = f" ({gettext('Stale')})" if getattr(record, "stale", False) else ""
        return f"{record.get_status_display()}{stale}"

    def value_funded(self, record):
        return funded_percent(record)

    def value_releasable(self, record):
        return releasable_units(record)
