"""The owner's record of the sales she made herself (showcase buyers, online marketplaces, direct): list, totals,
form, and removing a mistake on the day it was recorded. Owners may record sales without a published listing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.refusals import refusal_shown

from ..forms import SaleRecordForm
from ..models import SaleRecord
from ..selectors import sale_of_owner, sale_totals_of_owner, sales_of_owner
from ..services import sale_delete, sale_record
from .owner import OwnerListingMixin

PAGE_ROWS = 100  # the latest ones; the totals count them all


class SaleListView(OwnerListingMixin, View):
    """GET: her sales, their totals and the form. POST: record one sale (a double click records it once)."""

    template_name = "sales/owner/sales.html"

    def render_page(self, form: SaleRecordForm | None = None, status: int = 200):
        context = {
            "workshop": self.workshop,
            "form": form or SaleRecordForm(),
            "sales": list(sales_of_owner(self.request.user)[:PAGE_ROWS]),
            "totals": sale_totals_of_owner(self.request.user),
            "today": timezone.localdate(),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page()

    def post(self, request):
        form = SaleRecordForm(request.POST)
        if form.is_valid():
            with refusal_shown(form) as refused:
                _record, created = sale_record(workshop=self.workshop, actor=request.user, **form.cleaned_data)
            if not refused:
                if created:
                    messages.success(request, _("The sale is recorded."))
                return redirect("my-listing:sales")
        form.renew_key_if_invalid()
        return self.render_page(form)


class SaleDeleteView(OwnerListingMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        try:
            record = sale_of_owner(request.user, pk)
        except SaleRecord.DoesNotExist:
            raise Http404 from None
        with refusal_shown(request=request) as refused:
            sale_delete(record=record, actor=request.user)
        if not refused:
            messages.success(request, _("The sale is removed."))
        return redirect("my-listing:sales")
