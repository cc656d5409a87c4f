"""The coordinator's donation pages: pledges (list, one pledge with its actions and ledger), campaigns, donors.

Coordinators only (national coordinators and superusers see everything). A
coordinator sees pledges to the orders of her provinces plus every campaign
pledge (campaigns are not bound to a province); a pledge outside that scope is
404. Each action loads the pledge through that scope, validates its form, calls
one service of ``donors.services`` and redirects back to the pledge.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import SafeExportMixin
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.templatetags.persian import num

from ..filters.coordinator import DonorFilter, PledgeFilter
from ..forms.coordinator import ApplyForm, CampaignForm, CancelForm, ConfirmForm, FundsMoveForm, RefundForm
from ..ledger import selectors as ledger
from ..models import Campaign, Pledge, PledgeStatus
from ..selectors import (
    campaign_applications,
    campaign_by_pk,
    campaign_pledges,
    campaigns_newest_first,
    donor_list,
    pledge_entries,
    pledges_in_scope,
)
from ..services import funds, pledges
from ..tables import STATUS_BADGES, DonorTable, PledgeTable


class CoordinatorOnlyMixin(RoleRequiredMixin):
    capability = "manage_donations"


# The coordinator's scope of pledges is the selector's: the list, the counts and every action agree.
pledges_for_coordinator = pledges_in_scope


# --- Pledge list ----------------------------------------------------------------------------------------------


class PledgeListView(CoordinatorOnlyMixin, SafeExportMixin, SingleTableMixin, FilterView):
    table_class = PledgeTable
    filterset_class = PledgeFilter
    template_name = "donors/coordinator/pledge_list.html"
    paginate_by = 25
    export_name = "pledges"

    def get_queryset(self):
        return pledges_for_coordinator(self.request.user)


# --- One pledge -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    form_class: type[forms.Form]
    label: Promise
    done: Promise
    danger: bool = False


ACTIONS: dict[str, Action] = {
    "confirm": Action(ConfirmForm, gettext_lazy("Confirm receipt"), gettext_lazy("The money is recorded as received.")),
    "cancel": Action(CancelForm, gettext_lazy("Cancel pledge"), gettext_lazy("The pledge is cancelled."), danger=True),
    "refund": Action(RefundForm, gettext_lazy("Refund"), gettext_lazy("The refund is recorded."), danger=True),
}


def available_actions(pledge: Pledge) -> list[str]:
    if pledge.status == PledgeStatus.PLEDGED:
        return ["confirm", "cancel"]
    if pledge.status in pledges.RECEIVED_STATUSES:
        return ["refund"]
    return []


def perform(name: str, pledge: Pledge, data: dict, actor):
    if name == "confirm":
        return pledges.pledge_confirm(
            pledge=pledge,
            actor=actor,
            amount_received_rials=data["amount_received_rials"],
            bank_reference=data["bank_reference"],
            received_on=data["received_on"],
        )
    if name == "cancel":
        return pledges.pledge_cancel(pledge=pledge, actor=actor, reason=data["reason"])
    if name == "refund":
        return pledges.pledge_refund(pledge=pledge, amount=data["amount_rials"], actor=actor, reason=data["reason"])
    raise Http404


class PledgePageMixin(CoordinatorOnlyMixin):
    template_name = "donors/coordinator/pledge_detail.html"

    def get_pledge(self) -> Pledge:
        try:
            return pledges_for_coordinator(self.request.user).get(pk=self.kwargs["pk"])
        except Pledge.DoesNotExist:
            raise Http404 from None

    def page_context(self, pledge: Pledge, bound: tuple[str, forms.Form] | None = None) -> dict:
        actions = []
        for name in available_actions(pledge):
            action = ACTIONS[name]
            form = bound[1] if bound and bound[0] == name else action.form_class(prefix=name, pledge=pledge)
            actions.append({"name": name, "label": action.label, "danger": action.danger, "form": form})
        return {
            "pledge": pledge,
            "status_badge": STATUS_BADGES.get(pledge.status, ""),
            "actions": actions,
            "entries": pledge_entries(pledge),
        }


class PledgeDetailView(PledgePageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page_context(self.get_pledge()))
        return context


class PledgeActionView(PledgePageMixin, TemplateView):
    """POST one of ``ACTIONS``: validate its form, call its service, back to the pledge (or the page with errors)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            raise Http404
        pledge = self.get_pledge()
        if action == "confirm" and pledge.status in (*pledges.RECEIVED_STATUSES, PledgeStatus.REFUNDED):
            messages.info(request, _("This pledge was already confirmed; nothing was changed."))
            return redirect("donations:pledge-detail", pk=pledge.pk)
        form = ACTIONS[action].form_class(request.POST, prefix=action, pledge=pledge)
        if form.is_valid():
            with refusal_shown(form) as refused:
                perform(action, pledge, form.cleaned_data, request.user)
            if not refused:
                messages.success(request, ACTIONS[action].done)
                return redirect("donations:pledge-detail", pk=pledge.pk)
        pledge = self.get_pledge()
        context = self.page_context(pledge, bound=(action, form))
        if any(offered["name"] == action for offered in context["actions"]):
            messages.error(request, _("Nothing was changed; see the message below."))
        else:
            for message in form.non_field_errors() or [_("This action is not possible for this pledge now.")]:
                messages.error(request, message)
        return self.render_to_response(context, status=200)


# --- Campaigns ------------------------------------------------------------------------------------------------


class CampaignListView(CoordinatorOnlyMixin, TemplateView):
    """All campaigns with what they hold, and the form that opens a new one (POST to the same page)."""

    template_name = "donors/coordinator/campaign_list.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = campaigns_newest_first()
        for campaign in campaigns:
            campaign.balance = ledger.campaign_balance(campaign.pk)
            campaign.received = ledger.campaign_received(campaign.pk)
        context["campaigns"] = campaigns
        context["form"] = form or CampaignForm()
        return context

    def post(self, request):
        form = CampaignForm(request.POST)
        if form.is_valid():
            with refusal_shown(form) as refused:
                campaign = pledges.campaign_create(actor=request.user, **form.cleaned_data)
            if not refused:
                messages.success(request, _("Campaign «%(name)s» is open.") % {"name": campaign.name})
                return redirect("donations:campaign-detail", pk=campaign.pk)
        messages.error(request, _("Nothing was changed; see the message below."))
        return self.render_to_response(self.get_context_data(form=form))


class CampaignDetailView(CoordinatorOnlyMixin, TemplateView):
    """One campaign: its figures, its pledges and the form that applies its money to an order (POST here)."""

    template_name = "donors/coordinator/campaign_detail.html"

    def get_campaign(self) -> Campaign:
        try:
            return campaign_by_pk(self.kwargs["pk"])
        except Campaign.DoesNotExist:
            raise Http404 from None

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.get_campaign()
        context.update(
            campaign=campaign,
            balance=ledger.campaign_balance(campaign.pk),
            received=ledger.campaign_received(campaign.pk),
            pledges=campaign_pledges(campaign),
            applied=campaign_applications(campaign),
            form=form or ApplyForm(user=self.request.user),
        )
        return context

    def post(self, request, pk: int):
        campaign = self.get_campaign()
        form = ApplyForm(request.POST, user=request.user)
        if form.is_valid():
            order = form.cleaned_data["order"]
            amount = form.cleaned_data["amount_rials"]
            with refusal_shown(form) as refused:
                funds.campaign_apply(campaign=campaign, order=order, amount=amount, actor=request.user)
            if not refused:
                messages.success(
                    request,
                    _("%(amount)s rials of the campaign now fund order %(number)s.")
                    % {"amount": num(amount), "number": order.number},
                )
                return redirect("donations:campaign-detail", pk=campaign.pk)
        messages.error(request, _("Nothing was changed; see the message below."))
        return self.render_to_response(self.get_context_data(form=form))


class CampaignFillView(CoordinatorOnlyMixin, TemplateView):
    """POST: spend the campaign on the most urgent gaps of the coordinator's provinces, back to the campaign."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        try:
            campaign = campaign_by_pk(pk)
        except Campaign.DoesNotExist:
            raise Http404 from None
        with refusal_shown(request=request) as refused:
            entries = funds.campaign_fill_urgent_gaps(campaign=campaign, actor=request.user)
        if refused:
            return redirect("donations:campaign-detail", pk=campaign.pk)
        if not entries:
            messages.info(
                request,
                _(
                    "Nothing was applied: the campaign holds no money, or no order of your provinces "
                    "that is open for funding still needs money."
                ),
            )
        else:
            total = sum(entry.amount_rials for entry in entries)
            messages.success(
                request,
                ngettext(
                    "%(count)s order received %(amount)s rials from the campaign.",
                    "%(count)s orders received %(amount)s rials from the campaign in total.",
                    len(entries),
                )
                % {"count": num(len(entries)), "amount": num(total)},
            )
        return redirect("donations:campaign-detail", pk=campaign.pk)


# --- Moving funds between orders ------------------------------------------------------------------------------


class FundsMoveView(CoordinatorOnlyMixin, TemplateView):
    """Move unspent money from one order of the coordinator's provinces to another, with a reason."""

    template_name = "donors/coordinator/funds_move.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or FundsMoveForm(user=self.request.user)
        return context

    def post(self, request):
        form = FundsMoveForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            with refusal_shown(form) as refused:
                funds.funds_move(
                    from_order=data["from_order"],
                    to_order=data["to_order"],
                    amount=data["amount_rials"],
                    actor=request.user,
                    reason=data["reason"],
                )
            if not refused:
                messages.success(
                    request,
                    _("%(amount)s rials moved from order %(source)s to order %(target)s.")
                    % {
                        "amount": num(data["amount_rials"]),
                        "source": data["from_order"].number,
                        "target": data["to_order"].number,
                    },
                )
                return redirect("donations:funds-move")
        messages.error(request, _("Nothing was changed; see the message below."))
        return self.render_to_response(self.get_context_data(form=form))


# --- Donors ---------------------------------------------------------------------------------------------------


class DonorListView(CoordinatorOnlyMixin, SafeExportMixin, SingleTableMixin, FilterView):
    """Every donor (donors are not bound to a province) with what they gave, net of refunds (``ledger.donor_given``)."""

    table_class = DonorTable
    filterset_class = DonorFilter
    template_name = "donors/coordinator/donor_list.html"
    paginate_by = 25
    export_name = "donors"

    def get_queryset(self):
        return donor_list()
