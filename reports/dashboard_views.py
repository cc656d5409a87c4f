"""The coordinator dashboard: headline figures, per-province and per-product tables, charts and action lists.

Coordinators only (anyone else 403; collectors too), scoped to their
provinces (national coordinators and superusers: all). ``?_export=csv`` (or
``xlsx``) downloads the province table; add ``&table=product`` for the product table.
"""

from __future__ import annotations

from django.views.generic import TemplateView
from django_tables2 import RequestConfig, SingleTableMixin

from core.exports import SafeExportMixin
from core.jalali import file_date
from core.scoping import RoleRequiredMixin

from .dashboard import figure_rows, product_rows, province_rows, total_of
from .dashboard_actions import action_lists
from .dashboard_charts import (
    funding_gap_by_province,
    gap_chart,
    quota_status_counts,
    status_chart,
    weekly_chart,
    weekly_produced_delivered,
)
from .dashboard_forms import DashboardFilterForm
from .dashboard_tables import ProductFiguresTable, ProvinceFiguresTable
from .income_selectors import income_rows, income_total
from .province_map import coordinator_map


class DashboardView(RoleRequiredMixin, SafeExportMixin, SingleTableMixin, TemplateView):
    capability = "read_reports"
    template_name = "reports/dashboard.html"
    table_pagination = False

    def dispatch(self, request, *args, **kwargs):
        self.form = None
        return super().dispatch(request, *args, **kwargs)

    @property
    def choices(self):
        if self.form is None:
            self.form = DashboardFilterForm(self.request.GET, user=self.request.user)
            self.province, self.period = self.form.choices()
        return self.province, self.period

    def wants_products(self) -> bool:
        return self.request.GET.get("table") == "product"

    def get_table_class(self):
        return ProductFiguresTable if self.wants_products() else ProvinceFiguresTable

    def get_table_data(self):
        province, period = self.choices
        rows = product_rows if self.wants_products() else province_rows
        return rows(user=self.request.user, period=period, province=province)

    def get_export_filename(self, export_format):
        name = "dashboard-products" if self.wants_products() else "dashboard-provinces"
        return f"{name}-{file_date(self.choices[1].start)}-{file_date(self.choices[1].end)}.{export_format}"

    def get_context_data(self, **kwargs):
        user = self.request.user
        province, period = self.choices
        provinces, products = figure_rows(user=user, period=period, province=province)
        province_table = ProvinceFiguresTable(provinces, prefix="province-")
        product_table = ProductFiguresTable(products, prefix="product-")
        RequestConfig(self.request, paginate=False).configure(province_table)
        RequestConfig(self.request, paginate=False).configure(product_table)
        weeks = weekly_produced_delivered(user=user, period=period, province=province)
        gaps = funding_gap_by_province(user=user, province=province)
        statuses = quota_status_counts(user=user, period=period, province=province)
        incomes = income_rows(user=user, period=period, province=province)
        context = TemplateView.get_context_data(self, **kwargs)
        context.update(
            form=self.form,
            province=province,
            period=period,
            figures=total_of(provinces),
            income_rows=incomes,
            income_total=income_total(incomes),
            province_table=province_table,
            product_table=product_table,
            weeks=weeks,
            weekly_chart=weekly_chart(weeks),
            gaps=gaps,
            gap_chart=gap_chart(gaps),
            statuses=statuses,
            status_chart=status_chart(statuses),
            action_lists=action_lists(user=user, province=province),
            # Now, over all her provinces (the chosen one outlined), coloured by ``?map=``.
            province_map=coordinator_map(user, self.request.GET.get("map"), selected=province),
        )
        return context
