"""The donor's pages: sign-up, the public funding board, pledging and "My giving".

Views stay thin: load the order or campaign from an open queryset (404
otherwise), validate the form, call ``donors.services``, add a message and
redirect. Refusals come from the services (e.g. a pledge above an order's gap).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from core.models import Role, User
from core.pagination import PageAndCountPaginator
from core.permissions import user_can
from core.rate_limit import signup_throttle
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.services import user_create

from ..filters.donor import BoardFilter, board_orders, gap_units
from ..forms.donor import DonorSignupForm, PledgeForm
from ..ledger import selectors as ledger
from ..ledger.trace import traces_for
from ..models import Donor, Pledge, PledgeStatus
from ..online.selectors import enabled_gateways
from ..selectors import pledge_sent_with, pledges_of_user, running_campaigns, running_campaigns_with_received
from ..services.pledges import donor_register, pledge_create

LOGIN_BACKEND = "core.auth.MobileNumberBackend"
BOARD_PAGE_SIZE = 20


@transaction.atomic
def donor_signup(*, mobile: str, full_name: str, password: str, kind: str, registration_number: str) -> User:
    """A new donor account and its donor profile, together or not at all."""
    user = user_create(mobile=mobile, full_name=full_name, role=Role.DONOR, password=password)
    donor_register(user=user, kind=kind, registration_number=registration_number)
    return user


def donor_of(user) -> Donor:
    """The donor profile of a donor account (an individual one is made for an account created without it)."""
    try:
        return user.donor
    except Donor.DoesNotExist:
        return donor_register(user=user)


class DonorPageMixin(RoleRequiredMixin):
    """Anonymous: login; any other role (a superuser included: these pages are about one's own giving): 403."""

    capability = "give"


@signup_throttle  # each post says whether a number is registered: limited per address
class SignupView(FormView):
    template_name = "donors/donor/signup.html"
    form_class = DonorSignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("giving:board")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with refusal_shown(form) as refused:
                user = donor_signup(
                    mobile=data["mobile"],
                    full_name=data["full_name"],
                    password=data["password1"],
                    kind=data["kind"],
                    registration_number=data["registration_number"],
                )
        except IntegrityError:  # the same number signed up a moment ago
            form.add_error(
                "mobile", ValidationError(DonorSignupForm.ALREADY_REGISTERED_MESSAGE, code=form.ALREADY_REGISTERED)
            )
            return self.form_invalid(form)
        if refused:
            return self.form_invalid(form)
        login(self.request, user, backend=LOGIN_BACKEND)
        messages.success(self.request, _("Welcome! Choose an order or a campaign to give to."))
        return redirect("giving:board")


class BoardView(FilterView):
    """Public: orders that still need money (most urgent first) and the running campaigns."""

    template_name = "donors/donor/board.html"
    filterset_class = BoardFilter
    paginate_by = BOARD_PAGE_SIZE
    paginator_class = PageAndCountPaginator
    context_object_name = "orders"

    def get_queryset(self):
        return board_orders()

    def get_context_data(self, **kwargs):
        campaigns = running_campaigns_with_received()
        context = super().get_context_data(campaigns=campaigns, gives_online=bool(enabled_gateways()), **kwargs)
        for order in context["orders"]:
            order.gap_units = gap_units(order)
        return context


class _PledgeView(DonorPageMixin, FormView):
    template_name = "donors/donor/pledge.html"
    form_class = PledgeForm

    def get_target(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if user_can(request.user, "give"):
            earlier = self._sent_before(request)
            if earlier is not None:
                # A double tap or a resend: the same pledge, not a second one (nor a 404 because the first one
                # filled the order's gap and took it off the board).
                messages.info(request, _("This pledge was already recorded; here is how to pay it."))
                return redirect("giving:pledge-pay", pk=earlier.pk)
            self.target = self.get_target()
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def _sent_before(request) -> Pledge | None:
        key = request.POST.get("submission_key", "") if request.method == "POST" else ""
        try:
            key = uuid.UUID(key)
        except ValueError:
            return None
        return pledge_sent_with(request.user, key)

    def get_initial(self):
        amount = self.request.GET.get("amount", "")
        return {"amount_rials": amount} if amount.isdigit() else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(target=self.target, **kwargs)

    def pledge_kwargs(self) -> dict:
        raise NotImplementedError

    def form_valid(self, form):
        self.tried_amount = form.cleaned_data["amount_rials"]  # a refusal removes it from cleaned_data
        with refusal_shown(form) as refused:
            pledge = pledge_create(donor=donor_of(self.request.user), **self.pledge_kwargs(), **form.cleaned_data)
        if refused:
            return self.form_invalid(form)
        messages.success(
            self.request, _("Thank you! Your pledge is recorded. Pay it and a coordinator will confirm it.")
        )
        return redirect("giving:pledge-pay", pk=pledge.pk)


class OrderPledgeView(_PledgeView):
    def get_target(self):
        return get_object_or_404(board_orders(), pk=self.kwargs["pk"])

    def pledge_kwargs(self):
        return {"order": self.target}

    def form_invalid(self, form):
        # Above the gap: offer the running campaigns instead, keeping what she typed.
        amount = getattr(self, "tried_amount", None)
        campaigns = list(running_campaigns()) if amount and form.has_error("amount_rials") else []
        return self.render_to_response(self.get_context_data(form=form, offer_campaigns=campaigns, offer_amount=amount))


class CampaignPledgeView(_PledgeView):
    def get_target(self):
        campaign = get_object_or_404(running_campaigns(), pk=self.kwargs["pk"])
        campaign.received = ledger.campaign_received(campaign.pk)
        return campaign

    def pledge_kwargs(self):
        return {"campaign": self.target}


class MyGivingView(DonorPageMixin, TemplateView):
    """Her pledges, newest first, and where the received money went."""

    template_name = "donors/donor/mine.html"

    def get_context_data(self, **kwargs):
        pledges = list(pledges_of_user(self.request.user))
        received = [
            p for p in pledges if p.status in (PledgeStatus.RECEIVED, PledgeStatus.APPLIED, PledgeStatus.REFUNDED)
        ]
        traces = traces_for(received) if received else {}
        for pledge in pledges:
            pledge.trace = traces.get(pledge.pk)
        return super().get_context_data(pledges=pledges, statuses=PledgeStatus, **kwargs)
