"""The coordinator's allocation desk: preview a plan, commit it, follow a run's progress."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.models import Product, Province, Role
from core.outbox import enqueue
from core.scoping import RoleRequiredMixin, scope_by_province, sees_all_provinces

from .allocation_report import unmet_sentence
from .models import AllocationRun
from .tasks import run_allocation


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


@transaction.atomic
def start_run(*, user, province_codes: list[str], dry_run: bool) -> AllocationRun:
    """Record a run and queue its task once the row is committed (the worker must be able to read it)."""
    run = AllocationRun.objects.create(created_by=user, province_codes=province_codes, dry_run=dry_run)
    enqueue(run_allocation, run.pk, obj=run)
    return run


class AllocationDeskView(RoleRequiredMixin, TemplateView):
    allowed_roles = (Role.COORDINATOR,)
    template_name = "orders/allocation/desk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AllocationScopeForm(user=self.request.user))
        context["runs"] = AllocationRun.objects.filter(created_by=self.request.user)[:10]
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

    allowed_roles = (Role.COORDINATOR,)
    template_name = "orders/allocation/run.html"

    def get_run(self) -> AllocationRun:
        runs = AllocationRun.objects.all()
        if not self.request.user.is_superuser:
            runs = runs.filter(created_by=self.request.user)
        return get_object_or_404(runs, pk=self.kwargs["pk"])

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
