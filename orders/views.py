"""Order pages: the list, one order with its money, quotas, actions and history, and a new order.

Coordinators see the orders of their provinces' health centers (national
coordinators all); health-center staff see their own center's orders and may
request new ones. Everyone else gets 403; an order outside one's scope is 404.
Each action loads the order through that scope, validates its form, calls one
service of ``orders.services`` and redirects back to the order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import SafeExportMixin
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.tables import CountOnceMixin
from core.templatetags.persian import code_text
from core.templatetags.persian import jalali as jalali_filter

from . import services
from .filters import OrderFilter
from .forms import CloseForm, ExtendForm, OrderForm, ReasonForm
from .funding import funding_of, with_funding
from .models import Order, OrderStatus
from .models.orders import UNFULFILLED_STATUSES
from .selectors import (
    is_health_center_staff,
    is_stale,
    order_for_user,
    order_history,
    order_list,
    order_page_parts,
)
from .tables import PRIORITY_BADGES, STATUS_BADGES, OrderTable


class OrderPagesMixin(RoleRequiredMixin):
    capability = "request_orders"


class CoordinatorOnlyMixin(RoleRequiredMixin):
    capability = "manage_orders"


# --- List ---------------------------------------------------------------------------------------------------


class OrderListView(OrderPagesMixin, SafeExportMixin, CountOnceMixin, SingleTableMixin, FilterView):
    table_class = OrderTable
    filterset_class = OrderFilter
    template_name = "orders/order/list.html"
    paginate_by = 25
    export_name = "orders"

    def get_queryset(self):
        return with_funding(order_list(self.request.user))

    def get_table_kwargs(self):
        if is_health_center_staff(self.request.user):
            # Their own center on every row; releasing and allocating are the coordinator's business.
            return {"exclude": ("health_center", "releasable", "allocated")}
        return {}

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get(self.export_trigger_param) and is_health_center_staff(self.request.user):
            raise PermissionDenied  # exports are for coordinators
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_staff_view"] = is_health_center_staff(self.request.user)
        return context


# --- One order ----------------------------------------------------------------------------------------------


class ApproveForm(forms.Form):
    """Approving needs no input; the form carries the CSRF token and any error."""


@dataclass(frozen=True)
class Action:
    form_class: type[forms.Form]
    label: Promise
    done: Promise  # message after success, with %(number)s and %(date)s (the needed-by date)
    danger: bool = False


ACTIONS: dict[str, Action] = {
    "approve": Action(ApproveForm, gettext_lazy("Approve"), gettext_lazy("Order %(number)s is approved and open.")),
    "reject": Action(ReasonForm, gettext_lazy("Reject"), gettext_lazy("Order %(number)s is rejected."), danger=True),
    "extend": Action(ExtendForm, gettext_lazy("Extend"), gettext_lazy("Order %(number)s is now needed by %(date)s.")),
    "close": Action(CloseForm, gettext_lazy("Close"), gettext_lazy("Order %(number)s is closed.")),
    "cancel": Action(
        ReasonForm, gettext_lazy("Cancel order"), gettext_lazy("Order %(number)s is cancelled."), danger=True
    ),
}


def available_actions(order: Order, funding) -> list[str]:
    """The coordinator's actions open now, in the order shown (``ALLOWED_TRANSITIONS`` decides)."""
    allowed = services.ALLOWED_TRANSITIONS[order.status]
    names = []
    if order.status == OrderStatus.REQUESTED:
        names += ["approve", "reject"]
    if order.status in UNFULFILLED_STATUSES:
        names.append("extend")
    if OrderStatus.CLOSED in allowed:
        names.append("close")
    if OrderStatus.CANCELLED in allowed and order.status != OrderStatus.REQUESTED:
        names.append("cancel")
    return names


def perform(name: str, order: Order, data: dict, actor) -> Order:
    if name == "approve":
        return services.order_approve(order=order, actor=actor)
    if name == "reject":
        return services.order_reject(order=order, actor=actor, reason=data["reason"])
    if name == "extend":
        return services.order_extend(order=order, needed_by=data["needed_by"], actor=actor, reason=data["reason"])
    if name == "close":
        return services.order_close(order=order, actor=actor, note=data["note"])
    if name == "cancel":
        return services.order_cancel(order=order, actor=actor, reason=data["reason"])
    raise Http404


class OrderPageMixin:
    template_name = "orders/order/detail.html"

    def get_order(self) -> Order:
        try:
            return order_for_user(self.request.user, self.kwargs["pk"])
        except Order.DoesNotExist:
            raise Http404 from None

    def page_context(self, order: Order, bound: tuple[str, forms.Form] | None = None) -> dict:
        user = self.request.user
        is_staff_view = is_health_center_staff(user)
        funding = funding_of(order)
        parts = order_page_parts(order, funding.allocated_units)  # quotas (production), deliveries (fulfilment)
        actions = []
        if not is_staff_view:
            for name in available_actions(order, funding):
                action = ACTIONS[name]
                form = bound[1] if bound and bound[0] == name else action.form_class(prefix=name)
                actions.append({"name": name, "label": action.label, "danger": action.danger, "form": form})
        return {
            "order": order,
            "is_staff_view": is_staff_view,
            "stale": is_stale(order),
            "status_badge": STATUS_BADGES.get(order.status, ""),
            "priority_badge": PRIORITY_BADGES.get(order.priority, ""),
            "funding": funding,
            "quotas": parts["quotas"],
            "totals": parts["totals"],
            "actions": actions,
            "fundable": order.status in services.FUNDABLE_STATUSES and funding.gap_rials > 0,
            "lead_days": services.delivery_lead_days(),
            "history": order_history(order) if not is_staff_view else [],
            "today": timezone.localdate(),
            "delivery_progress": parts["delivery_progress"],
            "deliveries": parts["deliveries"],
            # The donors' pages are above orders: named here, not in the template.
            "pledge_list_url": reverse("donations:pledge-list"),
            "campaign_list_url": reverse("donations:campaign-list"),
        }


class OrderDetailView(OrderPagesMixin, OrderPageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page_context(self.get_order()))
        return context


class OrderActionView(CoordinatorOnlyMixin, OrderPageMixin, TemplateView):
    """POST one of ``ACTIONS``: validate its form, call its service, back to the order (or the page with errors)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            raise Http404
        order = self.get_order()
        form = ACTIONS[action].form_class(request.POST, prefix=action)
        if form.is_valid():
            with refusal_shown(form) as refused:
                order = perform(action, order, form.cleaned_data, request.user)
            if not refused:
                date = jalali_filter(order.needed_by)
                messages.success(request, ACTIONS[action].done % {"number": code_text(order.number), "date": date})
                return redirect("orders:detail", pk=order.pk)
        order = self.get_order()
        context = self.page_context(order, bound=(action, form))
        shown = any(offered["name"] == action for offered in context["actions"])
        if shown:
            messages.error(request, _("Nothing was changed; see the message below."))
        else:  # e.g. changed meanwhile in another tab: the form is not on the page, so say why here
            for message in form.non_field_errors() or [_("This action is not possible for this order now.")]:
                messages.error(request, message)
        return self.render_to_response(context, status=200)


# --- New order ----------------------------------------------------------------------------------------------


class OrderCreateView(OrderPagesMixin, FormView):
    template_name = "orders/order/form.html"
    form_class = OrderForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_staff_view"] = is_health_center_staff(user)
        context["own_center"] = user.health_center if context["is_staff_view"] else None
        return context

    def form_valid(self, form):
        user = self.request.user
        data = form.cleaned_data
        with refusal_shown(form) as refused:
            order = services.order_create(
                health_center=data.get("health_center") or user.health_center,
                product=data["product"],
                quantity=data["quantity"],
                needed_by=data["needed_by"],
                priority=data["priority"],
                note=data["note"],
                created_by=user,
            )
        if refused:
            return self.form_invalid(form)
        if order.status == OrderStatus.REQUESTED:
            messages.success(
                self.request,
                _("Request %(number)s is sent. A coordinator will review it.") % {"number": code_text(order.number)},
            )
        else:
            messages.success(
                self.request,
                _("Order %(number)s is created and open for funding.") % {"number": code_text(order.number)},
            )
        return redirect("orders:detail", pk=order.pk)
