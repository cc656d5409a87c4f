"""The coordinator's allocation desk: preview a plan, commit it, follow a run's progress."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from core.scoping import RoleRequiredMixin
from core.selectors import products_by_pk, provinces_by_pk

from ..allocation_report import severity_effect_sentence, severity_sentence, unmet_sentence
from ..forms.allocation import AllocationScopeForm
from ..models import AllocationRun
from ..selectors.allocation import allocation_run_for, runs_visible_to
from ..services.allocation_runs import start_run


class AllocationDeskView(RoleRequiredMixin, TemplateView):
    capability = "run_allocation"
    template_name = "orders/allocation/desk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AllocationScopeForm(user=self.request.user))
        context["runs"] = runs_visible_to(self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        form = AllocationScopeForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            run = start_run(
                user=request.user,
                province_codes=form.province_codes(request.user),
                dry_run="commit" not in request.POST,
            )
        return redirect("orders:allocation-run", pk=run.pk)


class AllocationRunView(RoleRequiredMixin, TemplateView):
    """A run's progress (the page refreshes itself while it runs) and then its plan."""

    capability = "run_allocation"
    template_name = "orders/allocation/run.html"

    def get_run(self) -> AllocationRun:
        try:
            return allocation_run_for(self.request.user, self.kwargs["pk"])
        except AllocationRun.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        provinces = provinces_by_pk()
        products = products_by_pk()
        orders = run.result.get("orders", [])
        for order in orders:  # names in the reader's language, not the one the run was made in
            order["product"] = products.get(order["product_id"])
            order["province"] = provinces.get(order["province_id"])
            for line in order["allocations"]:
                line["province"] = provinces.get(line["province_id"])
                line["due"] = dt.date.fromisoformat(line["due_date"])
            order["unmet_sentence"] = (
                unmet_sentence(order["unmet_reason"], order["unmet_params"]) if order["unmet_reason"] else ""
            )
            order["severity_sentence"] = severity_sentence(order.get("priority", ""), order.get("severity", 0))
            order["severity_effect_sentence"] = severity_effect_sentence(order.get("severity_effect", 0))
        context.update(
            run=run, orders=orders, totals=run.result.get("totals", {}), releases=run.result.get("releases", [])
        )
        return context

    def post(self, request, *args, **kwargs):
        """Commit a finished preview: a new run over the same provinces, planned afresh and checked under the locks."""
        preview = self.get_run()
        if not (preview.dry_run and preview.is_finished):
            raise Http404
        with transaction.atomic():
            run = start_run(user=request.user, province_codes=preview.province_codes, dry_run=False)
        return redirect("orders:allocation-run", pk=run.pk)
