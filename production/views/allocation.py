"""The coordinator's allocation desk: preview a plan, commit it, follow a run's progress."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.models import Product, Province
from core.outbox import enqueue
from core.scoping import RoleRequiredMixin, scope_by_province, sees_all_provinces

from ..allocation_report import unmet_sentence
from ..models import AllocationRun
from ..tasks import run_allocation


class AllocationScopeForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Provinces"), queryset=Province.objects.none(), required=False, empty_label=_("All my provinces")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = scope_by_province(Province.objects.all(), user, field="pk")

    def province_codes(self, user) -> list[str]:
        """The run's scope: one province, or all of hers (empty list = the whole country)."""
        if self.cleaned_data["province"] is not None:
            return [self.cleaned_data["province"].code]
        if sees_all_provinces(user):
            return []
        return sorted(user.provinces.values_list("code", flat=True))


def _run_readable(run: AllocationRun, user, province_codes: set[str]) -> bool:
    if run.created_by_id == user.pk:
        return True
    return bool(run.province_codes) and set(run.province_codes) <= province_codes


def run_visible_to(run: AllocationRun, user) -> bool:
    """Her own runs, and colleagues' runs whose provinces she all covers; national coordinators see every run.

    A run's page lists the orders and workshops of its provinces, so a run that
    reaches one province she does not cover (or the whole country) is not hers to read.
    """
    if sees_all_provinces(user):
        return True
    return _run_readable(run, user, set(user.provinces.values_list("code", flat=True)))


def runs_visible_to(user, *, limit: int = 10) -> list[AllocationRun]:
    """Her most recent readable runs, newest first (the scope test is on a JSON list, so it is done here)."""
    runs = AllocationRun.objects.order_by("-created_at", "-pk")
    if sees_all_provinces(user):
        return list(runs[:limit])
    codes = set(user.provinces.values_list("code", flat=True))
    return [run for run in runs[:200] if _run_readable(run, user, codes)][:limit]


@transaction.atomic
def start_run(*, user, province_codes: list[str], dry_run: bool) -> AllocationRun:
    """Record a run and queue its task once the row is committed (the worker must be able to read it)."""
    run = AllocationRun.objects.create(created_by=user, province_codes=province_codes, dry_run=dry_run)
    enqueue(run_allocation, run.pk, obj=run)
    return run


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
        run = get_object_or_404(AllocationRun, pk=self.kwargs["pk"])
        if not run_visible_to(run, self.request.user):
            raise Http404
        return run

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        provinces = {province.pk: province for province in Province.objects.all()}
        products = {product.pk: product for product in Product.objects.all()}
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
        context.update(
            run=run, orders=orders, totals=run.result.get("totals", {}), releases=run.result.get("releases", [])
        )
        return context

    def post(self, request, *args, **kwargs):
        """Commit a finished preview: a new run over the same provinces, planned afresh under the locks."""
        preview = self.get_run()
        if not (preview.dry_run and preview.is_finished):
            raise Http404
        with transaction.atomic():
            run = start_run(user=request.user, province_codes=preview.province_codes, dry_run=False)
        return redirect("orders:allocation-run", pk=run.pk)
