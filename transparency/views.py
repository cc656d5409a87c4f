"""The public results page: no login, figures added up, nothing that names a donor or a workshop."""

from __future__ import annotations

from django.views.generic import TemplateView

from reports.periods import DashboardPeriod

from .privacy import MINIMUM
from .selectors import campaign_period, public_results


class PublicResultsView(TemplateView):
    template_name = "transparency/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        period = DashboardPeriod.from_params(params) if params.get("from") or params.get("to") else campaign_period()
        context["results"] = public_results(period)
        context["minimum"] = MINIMUM
        return context
