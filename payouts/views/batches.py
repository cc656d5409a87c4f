"""The coordinator's payout pages: batch list (CSV/XLSX), new batch with a preview, one batch with its actions.

Coordinators only; a coordinator sees a batch when she covers every province
in it (``payouts.services.batches_for``), otherwise 404. Actions load the batch
through that scope, validate their form, call one service of
``payouts.services`` and redirect back to the batch.
"""

from __future__ import annotations

import csv
from collections import OrderedDict

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import SafeExportMixin, escape_formula
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin

from .. import services as payouts
from ..filters import PayoutBatchFilter
from ..forms import CancelBatchForm, MarkPaidForm, PayoutBatchForm
from ..models import PayoutBatch, PayoutBatchStatus
from ..selectors import batch_lines_by_workshop, payout_batch_for, payout_batch_list
from ..tables import STATUS_BADGES, PayoutBatchTable


class CoordinatorOnlyMixin(RoleRequiredMixin):
    capability = "manage_payouts"

    def get_batch(self) -> PayoutBatch:
        try:
            return payout_batch_for(self.request.user, self.kwargs["pk"])
        except PayoutBatch.DoesNotExist:
            raise Http404 from None


class PayoutBatchListView(CoordinatorOnlyMixin, SafeExportMixin, SingleTableMixin, FilterView):
    table_class = PayoutBatchTable
    filterset_class = PayoutBatchFilter
    template_name = "donors/payouts/list.html"
    paginate_by = 25
    export_name = "payouts"

    def get_queryset(self):
        return payout_batch_list(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}


class PayoutBatchCreateView(CoordinatorOnlyMixin, TemplateView):
    """GET: the form for last month. POST with ``preview``: what a batch would include now. POST: make it."""

    template_name = "donors/payouts/create.html"

    def get_context_data(self, form=None, plan=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or PayoutBatchForm(user=self.request.user)
        context["plan"] = plan
        return context

    def post(self, request):
        form = PayoutBatchForm(request.POST, user=request.user)
        plan = None
        if form.is_valid():
            with refusal_shown(form):
                if "preview" in request.POST:
                    plan = payouts.payout_plan(actor=request.user, **form.service_kwargs())
                else:
                    batch = payouts.payout_batch_create(actor=request.user, **form.service_kwargs())
                    messages.success(
                        request, _("Payout batch %(number)s is ready for the bank.") % {"number": batch.number}
                    )
                    return redirect("payouts:detail", pk=batch.pk)
        return self.render_to_response(self.get_context_data(form=form, plan=plan))


def workshop_groups(batch: PayoutBatch) -> list[dict]:
    """The batch's lines per workshop (one bank transfer each): name, the Sheba kept on the lines, units, rials."""
    groups: OrderedDict[int, dict] = OrderedDict()
    lines = batch_lines_by_workshop(batch)
    for line in lines:
        group = groups.setdefault(
            line.workshop_id,
            # One batch snapshots one Sheba per workshop (all her lines are made together).
            {"workshop": line.workshop, "sheba": line.sheba, "lines": [], "units": 0, "amount_rials": 0},
        )
        group["lines"].append(line)
        group["units"] += line.units
        group["amount_rials"] += line.amount_rials
    return list(groups.values())


class PayoutBatchDetailView(CoordinatorOnlyMixin, TemplateView):
    template_name = "donors/payouts/detail.html"

    def page_context(self, batch: PayoutBatch, pay_form=None, cancel_form=None) -> dict:
        groups = workshop_groups(batch)
        return {
            "batch": batch,
            "status_badge": STATUS_BADGES.get(batch.status, ""),
            "groups": groups,
            "total_units": sum(group["units"] for group in groups),
            "total_rials": sum(group["amount_rials"] for group in groups),
            "waiting": batch.waiting,
            "provinces": list(batch.provinces.all()),
            "is_draft": batch.status == PayoutBatchStatus.DRAFT,
            "pay_form": pay_form or MarkPaidForm(prefix="pay"),
            "cancel_form": cancel_form or CancelBatchForm(prefix="cancel"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page_context(self.get_batch()))
        return context


class PayoutBatchActionView(PayoutBatchDetailView):
    """POST ``pay`` (bank reference and date) or ``cancel`` (reason); back to the batch, or the page with errors."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        batch = self.get_batch()
        if action == "pay":
            if batch.status == PayoutBatchStatus.PAID:
                messages.info(request, _("This batch was already marked paid; nothing was changed."))
                return redirect("payouts:detail", pk=batch.pk)
            form = MarkPaidForm(request.POST, prefix="pay")
        elif action == "cancel":
            form = CancelBatchForm(request.POST, prefix="cancel")
        else:
            raise Http404
        if form.is_valid():
            with refusal_shown(form):
                if action == "pay":
                    payouts.payout_batch_mark_paid(batch=batch, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("The batch is marked paid and written to the ledger."))
                else:
                    payouts.payout_batch_cancel(batch=batch, actor=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("The batch is cancelled; its units can go into a new batch."))
                return redirect("payouts:detail", pk=batch.pk)
        batch = self.get_batch()
        if batch.status == PayoutBatchStatus.DRAFT:
            messages.error(request, _("Nothing was changed; see the message below."))
        else:  # the forms are not on the page any more: say why here
            for message in form.non_field_errors() or [_("This batch can no longer be changed.")]:
                messages.error(request, message)
        forms = {"pay_form": form} if action == "pay" else {"cancel_form": form}
        return self.render_to_response(self.page_context(batch, **forms))


BANK_CSV_HEADERS = (
    gettext_lazy("Sheba"),
    gettext_lazy("Account holder"),
    gettext_lazy("Workshop"),
    gettext_lazy("Amount (rials)"),
    gettext_lazy("Units"),
    gettext_lazy("Description"),
)


class PayoutBatchBankCsvView(CoordinatorOnlyMixin, View):
    """One row per workshop for the bank's bulk transfer: Sheba, owner, amount, and the batch number as description.

    The Sheba is the one kept on the batch's lines, so a paid batch's list still says where the money went.
    """

    def get(self, request, pk: int):
        batch = self.get_batch()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{batch.number}-bank.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Persian names as UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [_("Sheba"), _("Account holder"), _("Workshop"), _("Amount (rials)"), _("Units"), _("Description")]
        )
        for group in workshop_groups(batch):
            workshop = group["workshop"]
            row = [
                group["sheba"],
                workshop.owner.full_name,
                workshop.name,
                group["amount_rials"],
                group["units"],
                batch.number,
            ]
            writer.writerow([escape_formula(cell) for cell in row])
        return response
