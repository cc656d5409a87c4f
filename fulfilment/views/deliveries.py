"""The coordinator's delivery desk: what is ready to deliver, the delivery list, a new delivery, one delivery
with its actions, and editing a planned one.

Coordinators see the deliveries of their provinces' health centers (national
coordinators all); everyone else gets 403, and a delivery or health center
outside one's scope is 404. Each action loads the delivery through that scope,
validates its form, calls one service of ``fulfilment.services.deliveries`` and redirects
back to the delivery.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import SafeExportMixin
from core.models import HealthCenter
from core.permissions import user_can
from core.persian import ui_number
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.selectors import health_centers_in_scope
from core.tables import CountOnceMixin
from core.templatetags.persian import code_text

from ..filters.deliveries import DeliveryFilter
from ..forms.deliveries import CancelForm, ConfirmForm, DeliveryCreateForm, DeliveryDetailsForm
from ..models import Delivery, DeliveryStatus
from ..selectors.deliveries import (
    deliverable_quotas,
    delivery_for_user,
    delivery_history,
    delivery_lines,
    delivery_list,
    delivery_planned_with,
    is_confirmed,
    line_totals,
    ready_health_centers,
)
from ..services import deliveries
from ..tables.deliveries import STATUS_BADGES, DeliveryTable


class CoordinatorMixin(RoleRequiredMixin):
    capability = "plan_deliveries"

    def passes_role_check(self, user) -> bool:
        """Whether ``RoleRequiredMixin`` lets ``user`` in: pages that load their object in ``dispatch`` do it only
        then, so another role gets 403 (not a 404 that answers whether the object is in anyone's scope)."""
        return user_can(user, self.capability)


def sheet_url(delivery: Delivery) -> str | None:
    """The printable sheet, once the sheets feature provides its URL."""
    try:
        return reverse("sheets:delivery-sheet", args=[delivery.pk])
    except NoReverseMatch:
        return None


# --- List and "ready to deliver" ----------------------------------------------------------------------------


class DeliveryListView(CoordinatorMixin, SafeExportMixin, CountOnceMixin, SingleTableMixin, FilterView):
    table_class = DeliveryTable
    filterset_class = DeliveryFilter
    template_name = "orders/delivery/list.html"
    paginate_by = 25
    export_name = "deliveries"

    def get_queryset(self):
        return delivery_list(self.request.user)


class ReadyToDeliverView(CoordinatorMixin, TemplateView):
    template_name = "orders/delivery/ready.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        centers = list(ready_health_centers(self.request.user))
        context["centers"] = centers
        context["total_units"] = sum(center.ready_units for center in centers)
        return context


# --- New delivery -------------------------------------------------------------------------------------------


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class DeliveryCreateView(CoordinatorMixin, FormView):
    template_name = "orders/delivery/create.html"
    form_class = DeliveryCreateForm

    def dispatch(self, request, *args, **kwargs):
        if self.passes_role_check(request.user):
            try:
                self.health_center = health_centers_in_scope(request.user).get(pk=kwargs["health_center_pk"])
            except HealthCenter.DoesNotExist:
                raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # The same form sent twice (a double tap, a resend after a timeout) shows the delivery it already planned.
        key = request.POST.get("submission_key", "")
        earlier = delivery_planned_with(key) if _is_uuid(key) else None
        if earlier is not None:
            message = _("This delivery was already planned: %(code)s.") % {"code": code_text(earlier.code)}
            messages.info(request, message)
            return redirect("deliveries:detail", pk=earlier.pk)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "quotas": list(deliverable_quotas(self.health_center))}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["health_center"] = self.health_center
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        with refusal_shown(form) as refused:
            delivery = deliveries.delivery_create(
                health_center=self.health_center,
                planned_date=data["planned_date"],
                lines=form.lines(),
                actor=self.request.user,
                courier_name=data["courier_name"],
                courier_phone=data["courier_phone"],
                vehicle=data["vehicle"],
                note=data["note"],
                submission_key=data.get("submission_key"),
            )
        if refused:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Delivery %(code)s is planned: %(units)s units.")
            % {"code": code_text(delivery.code), "units": ui_number(sum(units for _quota, units in form.lines()))},
        )
        return redirect("deliveries:detail", pk=delivery.pk)


# --- One delivery -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    form_class: type[forms.Form]
    label: Promise
    done: Promise  # message after success, with %(code)s
    danger: bool = False


ACTIONS: dict[str, Action] = {
    "dispatch": Action(ConfirmForm, gettext_lazy("Dispatch"), gettext_lazy("Delivery %(code)s is on its way.")),
    "deliver": Action(
        ConfirmForm, gettext_lazy("Mark delivered"), gettext_lazy("Delivery %(code)s is marked delivered.")
    ),
    "cancel": Action(
        CancelForm,
        gettext_lazy("Cancel delivery"),
        gettext_lazy("Delivery %(code)s is cancelled; its units can go on another delivery."),
        danger=True,
    ),
}


def available_actions(delivery: Delivery) -> list[str]:
    names = []
    if deliveries.can_transition(delivery, DeliveryStatus.DISPATCHED):
        names.append("dispatch")
    if deliveries.can_transition(delivery, DeliveryStatus.DELIVERED):
        names.append("deliver")
    if deliveries.can_transition(delivery, DeliveryStatus.CANCELLED):
        names.append("cancel")
    return names


def perform(name: str, delivery: Delivery, data: dict, actor) -> Delivery:
    if name == "dispatch":
        return deliveries.delivery_dispatch(delivery=delivery, actor=actor)
    if name == "deliver":
        return deliveries.delivery_mark_delivered(delivery=delivery, actor=actor)
    if name == "cancel":
        return deliveries.delivery_cancel(delivery=delivery, actor=actor, reason=data["reason"])
    raise Http404


class DeliveryPageMixin(CoordinatorMixin):
    template_name = "orders/delivery/detail.html"

    def get_delivery(self) -> Delivery:
        try:
            return delivery_for_user(self.request.user, self.kwargs["pk"])
        except Delivery.DoesNotExist:
            raise Http404 from None

    def page_context(self, delivery: Delivery, bound: tuple[str, forms.Form] | None = None) -> dict:
        actions = []
        for name in available_actions(delivery):
            action = ACTIONS[name]
            form = bound[1] if bound and bound[0] == name else action.form_class(prefix=name)
            actions.append({"name": name, "label": action.label, "danger": action.danger, "form": form})
        lines = delivery_lines(delivery)
        return {
            "delivery": delivery,
            "status_badge": STATUS_BADGES.get(delivery.status, ""),
            "lines": lines,
            "totals": line_totals(lines),
            "show_receipt": is_confirmed(delivery),
            "actions": actions,
            "can_edit": delivery.status == DeliveryStatus.PLANNED,
            "sheet_url": sheet_url(delivery),
            "history": delivery_history(delivery),
        }


class DeliveryDetailView(DeliveryPageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page_context(self.get_delivery()))
        return context


class DeliveryActionView(DeliveryPageMixin, TemplateView):
    """POST one of ``ACTIONS``: validate its form, call its service, back to the delivery (or the page with errors)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            raise Http404
        delivery = self.get_delivery()
        form = ACTIONS[action].form_class(request.POST, prefix=action)
        if form.is_valid():
            with refusal_shown(form) as refused:
                delivery = perform(action, delivery, form.cleaned_data, request.user)
            if not refused:
                messages.success(request, ACTIONS[action].done % {"code": code_text(delivery.code)})
                return redirect("deliveries:detail", pk=delivery.pk)
        delivery = self.get_delivery()
        context = self.page_context(delivery, bound=(action, form))
        if any(offered["name"] == action for offered in context["actions"]):
            messages.error(request, _("Nothing was changed; see the message below."))
        else:  # e.g. changed meanwhile in another tab: the form is not on the page, so say why here
            for message in form.non_field_errors() or [_("This action is not possible for this delivery now.")]:
                messages.error(request, message)
        return self.render_to_response(context, status=200)


class DeliveryEditView(DeliveryPageMixin, FormView):
    template_name = "orders/delivery/edit.html"
    form_class = DeliveryDetailsForm

    def dispatch(self, request, *args, **kwargs):
        if self.passes_role_check(request.user):
            self.delivery = self.get_delivery()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        delivery = self.delivery
        return {field: getattr(delivery, field) for field in deliveries.EDITABLE_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delivery"] = self.delivery
        return context

    def get(self, request, *args, **kwargs):
        if self.delivery.status != DeliveryStatus.PLANNED:
            messages.error(request, _("Only a planned delivery can be changed."))
            return redirect("deliveries:detail", pk=self.delivery.pk)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        with refusal_shown(form) as refused:
            deliveries.delivery_update(delivery=self.delivery, actor=self.request.user, **form.cleaned_data)
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, _("Delivery %(code)s is updated.") % {"code": code_text(self.delivery.code)})
        return redirect("deliveries:detail", pk=self.delivery.pk)
