"""Tables of the coordinator's supply pages (HTML, CSV and XLSX through ``core.exports.SafeExportMixin``).

Ordering: every column of the workshop list sorts in SQL except utilisation,
which comes from the calendar arithmetic of ``production.supply``. Sorting by it
computes the loads of all the filtered workshops once, in Python, then orders
the queryset with a ``CASE`` on the whole percent shown (ties by name), so
pagination still happens in the database. Without that sort, utilisation is
computed once per page for the page's workshops only (or once for all filtered
rows when exporting).
"""

from __future__ import annotations

from collections import defaultdict

import django_tables2 as tables
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.library_seams import has_annotation
from core.persian import LocalizedNumber
from core.tables import ColumnClassesMixin, NumberColumn
from core.templatetags.persian import digits, num
from workshops.models import Workshop, WorkshopStatus

from .selectors.supply import utilisation_percent
from .supply import SUPPLY_WINDOW_DAYS, WorkshopLoad, workshop_loads

STATUS_BADGES = {
    WorkshopStatus.VERIFIED: "ok",
    WorkshopStatus.PENDING: "warn",
    WorkshopStatus.SUSPENDED: "danger",
}


def percent_text(value: int) -> str:
    return gettext("%(percent)s%%") % {"percent": num(value)}


class WorkshopTable(ColumnClassesMixin, tables.Table):
    name = tables.Column(verbose_name=_("Workshop"), linkify=("supply:workshop-detail", {"pk": tables.A("pk")}))
    owner = tables.Column(verbose_name=_("Owner"), accessor="owner__full_name", order_by=("owner__full_name",))
    mobile = tables.Column(verbose_name=_("Mobile"), accessor="owner__mobile", order_by=("owner__mobile",))
    province = tables.Column(verbose_name=_("Province"), order_by=("province__name_fa",))
    city = tables.Column(verbose_name=_("City"), order_by=("city__name_fa",))
    status = tables.Column(verbose_name=_("Status"))
    is_woman_head_of_household = tables.Column(verbose_name=_("Woman head of household"))
    capacities = tables.Column(verbose_name=_("Daily capacity"), accessor="pk", empty_values=())
    utilisation = tables.Column(
        verbose_name=format_lazy(_("Utilisation, next {days} days"), days=LocalizedNumber(SUPPLY_WINDOW_DAYS)),
        accessor="pk",
        empty_values=(),
    )
    active_quotas = tables.Column(verbose_name=_("Active quotas"))

    class Meta:
        model = Workshop
        fields = []
        sequence = [
            "name",
            "owner",
            "mobile",
            "province",
            "city",
            "status",
            "is_woman_head_of_household",
            "capacities",
            "utilisation",
            "active_quotas",
        ]
        attrs = {"class": "table supply-table"}
        empty_text = _("No workshop matches these filters.")

    def __init__(self, *args, loads: dict[int, WorkshopLoad] | None = None, **kwargs):
        self._loads: dict[int, WorkshopLoad] = dict(loads or {})
        super().__init__(*args, **kwargs)

    # --- utilisation, computed lazily -------------------------------------------------------------------

    def _page_records(self) -> list[Workshop]:
        page = getattr(self, "page", None)
        if page is None:
            return []
        rows = page.object_list
        return list(getattr(rows, "data", rows))

    def load_of(self, workshop: Workshop) -> WorkshopLoad | None:
        if workshop.pk not in self._loads:
            page_records = self._page_records()
            if any(record.pk == workshop.pk for record in page_records):
                # The page's rows are loaded already, with their capacities: not fetched again.
                self._loads.update(workshop_loads(page_records))
            else:  # export, or no pagination: every row will be asked for
                self._loads.update(workshop_loads(self.data.data))
        return self._loads.get(workshop.pk)

    def order_utilisation(self, queryset: QuerySet, is_descending: bool):
        missing = queryset.exclude(pk__in=list(self._loads)) if self._loads else queryset
        self._loads.update(workshop_loads(missing))
        by_percent: dict[int, list[int]] = defaultdict(list)
        for pk in queryset.values_list("pk", flat=True):
            by_percent[utilisation_percent(self._loads.get(pk))].append(pk)
        rank = Case(
            *(When(pk__in=pks, then=Value(percent)) for percent, pks in by_percent.items()),
            default=Value(0),
            output_field=IntegerField(),
        )
        direction = "-" if is_descending else ""
        return queryset.annotate(utilisation_rank=rank).order_by(f"{direction}utilisation_rank", "name", "pk"), True

    def order_capacities(self, queryset: QuerySet, is_descending: bool):
        """By the chosen product's daily capacity when the product filter is set, else by all products added up."""
        field = "product_capacity" if has_annotation(queryset, "product_capacity") else "capacity_total"
        direction = "-" if is_descending else ""
        return queryset.order_by(f"{direction}{field}", "name", "pk"), True

    # --- HTML -------------------------------------------------------------------------------------------

    def render_mobile(self, value):
        return format_html('<span class="ltr">{}</span>', digits(value))

    def render_province(self, record):
        return record.province.name

    def render_city(self, record):
        return record.city.name

    def render_status(self, record, value):
        # value is record.get_status_display() already: django-tables2 shows a choice field's label
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, ""), value)

    def render_is_woman_head_of_household(self, value):
        return gettext("Yes") if value else gettext("No")

    def render_capacities(self, record):
        capacities = list(record.capacities.all())
        if not capacities:
            return "—"
        return format_html(
            '<ul class="capacity-list">{}</ul>',
            format_html_join("", "<li>{}: {}</li>", ((c.product.name, num(c.units_per_day)) for c in capacities)),
        )

    def render_utilisation(self, record):
        percent = utilisation_percent(self.load_of(record))
        css = "danger" if percent > 100 else "warn" if percent >= 80 else ""
        return format_html('<span class="utilisation {}">{}</span>', css, percent_text(percent))

    def render_active_quotas(self, value):
        return num(value)

    # --- CSV / XLSX -------------------------------------------------------------------------------------

    def value_name(self, record):
        return record.name

    def value_mobile(self, value):
        return value

    def value_status(self, record):
        return str(record.get_status_display())

    def value_capacities(self, record):
        return "; ".join(f"{c.product.name}: {c.units_per_day}" for c in record.capacities.all())

    def value_utilisation(self, record):
        return utilisation_percent(self.load_of(record))

    def value_active_quotas(self, value):
        return value


class SupplyTable(ColumnClassesMixin, tables.Table):
    province = tables.Column(verbose_name=_("Province"), order_by=("province__name_fa", "product__code"))
    product = tables.Column(verbose_name=_("Product"), order_by=("product__code", "province__name_fa"))
    workshops = NumberColumn(verbose_name=_("Verified workshops"))
    daily_capacity = NumberColumn(verbose_name=_("Daily capacity"))
    window_capacity = NumberColumn(
        verbose_name=format_lazy(_("Capacity, next {days} days"), days=LocalizedNumber(SUPPLY_WINDOW_DAYS))
    )
    committed = NumberColumn(
        verbose_name=format_lazy(_("Committed, next {days} days"), days=LocalizedNumber(SUPPLY_WINDOW_DAYS))
    )
    free = NumberColumn(verbose_name=format_lazy(_("Free, next {days} days"), days=LocalizedNumber(SUPPLY_WINDOW_DAYS)))

    class Meta:
        attrs = {"class": "table supply-table"}
        empty_text = _("No verified workshop with a declared capacity in your provinces yet.")

    def render_province(self, record):
        return record.province.name

    def render_product(self, record):
        return record.product.name

    value_province = render_province
    value_product = render_product
