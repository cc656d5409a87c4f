"""The workshop owner's payouts: her lines grouped by batch, what is paid (with the bank's reference) and what waits."""

from __future__ import annotations

from collections import OrderedDict

from django.views.generic import TemplateView

from core.scoping import RoleRequiredMixin

from ..models import PayoutBatchStatus
from ..selectors import owner_payout_lines_newest_first


class OwnerPayoutListView(RoleRequiredMixin, TemplateView):
    capability = "see_earnings"
    template_name = "donors/payouts/owner.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batches: OrderedDict[int, dict] = OrderedDict()
        lines = owner_payout_lines_newest_first(self.request.user)
        for line in lines:
            entry = batches.setdefault(line.batch_id, {"batch": line.batch, "lines": [], "units": 0, "amount_rials": 0})
            entry["lines"].append(line)
            entry["units"] += line.units
            entry["amount_rials"] += line.amount_rials
        groups = list(batches.values())
        context["batches"] = groups
        context["paid_rials"] = sum(g["amount_rials"] for g in groups if g["batch"].status == PayoutBatchStatus.PAID)
        context["waiting_rials"] = sum(
            g["amount_rials"] for g in groups if g["batch"].status == PayoutBatchStatus.DRAFT
        )
        return context
