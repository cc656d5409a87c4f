"""The donor's "how to pay" page for one of her pledges: the account, the amount and the reference to quote."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from ..models import PledgeStatus
from ..payments.selectors import instructions_for
from ..selectors import pledges_of_user
from .donor import DonorPageMixin


class PledgePayView(DonorPageMixin, TemplateView):
    """Shown right after pledging and again from "My giving" while the money has not been confirmed.

    Only her own pledges: another donor's is 404.
    """

    template_name = "donors/donor/pay.html"

    def get_context_data(self, **kwargs):
        pledge = get_object_or_404(pledges_of_user(self.request.user), pk=self.kwargs["pk"])
        return super().get_context_data(
            pledge=pledge,
            waiting=pledge.status == PledgeStatus.PLEDGED,
            instructions=instructions_for(pledge),
            **kwargs,
        )
