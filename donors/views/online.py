"""Online giving's pages: the gift form (donors and guests), the bank's return, and the result.

The bank's return (``CallbackView``) settles the payment through ``donors.online.services`` and sends the
payer on to the result page, whose address carries the payment's secret key (a guest has no account to
find it by). Nothing on these pages says whether a guest's mobile number already has an account.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import FormView

from core.client_ip import client_ip
from core.permissions import user_can
from core.rate_limit import hit, signup_limit, signup_window_minutes, too_many_attempts
from core.refusals import refusal_shown

from ..filters.donor import board_orders
from ..forms.online import OnlineGiftForm
from ..ledger import selectors as ledger
from ..models import OnlinePaymentStatus
from ..online.selectors import enabled_gateways, payment_by_result_key
from ..online.services import payment_result_path, payment_settle, payment_start
from ..selectors import running_campaigns
from .donor import donor_of


class _GiveOnlineView(FormView):
    """Public: a signed-in donor gives as herself; anyone not signed in gives as a guest with a mobile number.

    Other roles (a coordinator, a workshop owner) get 403: their accounts are not donors'.
    """

    capability = "give"  # for a signed-in user; a guest needs none (core.permissions: the pay pages are public)
    template_name = "donors/online/give.html"
    form_class = OnlineGiftForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not user_can(request.user, self.capability):
            raise PermissionDenied
        self.target = self.get_target()
        return super().dispatch(request, *args, **kwargs)

    def get_target(self):
        raise NotImplementedError

    def target_kwargs(self) -> dict:
        raise NotImplementedError

    @property
    def guest(self) -> bool:
        return not self.request.user.is_authenticated

    def post(self, request, *args, **kwargs):
        # A guest's gift makes an account for her number, as a sign-up does: the sign-up's count per address.
        if self.guest and not hit(
            "signup", client_ip(request), limit=signup_limit(), window_minutes=signup_window_minutes()
        ):
            return too_many_attempts(request, minutes=signup_window_minutes())
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "guest": self.guest}

    def get_context_data(self, **kwargs):
        return super().get_context_data(target=self.target, gateways=enabled_gateways(), guest=self.guest, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        if not enabled_gateways():
            return self.form_invalid(form)
        with refusal_shown(form) as refused:
            _payment, bank_page = payment_start(
                request=self.request,
                donor=None if self.guest else donor_of(self.request.user),  # a guest's is made with the pledge
                amount_rials=data["amount_rials"],
                guest_mobile=data.get("mobile", ""),
                started_by=None if self.guest else self.request.user,
                **self.target_kwargs(),
            )
        if refused:
            return self.form_invalid(form)
        return redirect(bank_page)


class GiveToOrderView(_GiveOnlineView):
    def get_target(self):
        return get_object_or_404(board_orders(), pk=self.kwargs["pk"])

    def target_kwargs(self):
        return {"order": self.target}


class GiveToCampaignView(_GiveOnlineView):
    def get_target(self):
        campaign = get_object_or_404(running_campaigns(), pk=self.kwargs["pk"])
        campaign.received = ledger.campaign_received(campaign.pk)
        return campaign

    def target_kwargs(self):
        return {"campaign": self.target}


class CallbackView(View):
    """Public: where the bank sends the payer back (``?Authority=…&Status=OK|NOK``)."""

    capability = None  # the bank's return: anyone's browser, checked against our own row

    def get(self, request):
        payment = payment_settle(
            authority=request.GET.get("Authority", "")[:64],
            bank_says_ok=request.GET.get("Status") == "OK",
            request=request,
        )
        if payment is None:
            return render(request, "donors/online/result.html", {"payment": None}, status=404)
        return redirect(payment_result_path(payment))


class ResultView(View):
    """Public, for whoever holds the payment's secret address: paid, not paid, still waiting for the bank."""

    capability = None

    def get(self, request, key: str):
        payment = payment_by_result_key(key)
        if payment is None:
            return render(request, "donors/online/result.html", {"payment": None}, status=404)
        return render(
            request,
            "donors/online/result.html",
            {"payment": payment, "pledge": payment.pledge, "statuses": OnlinePaymentStatus},
        )
