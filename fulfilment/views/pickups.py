"""Pickup pages: where to collect, recording a pickup with its quality check, the list, one pickup, collectors.

Coordinators and the collectors they appoint use them, each within her
provinces (a workshop or pickup elsewhere is 404); everyone else gets 403.
Only coordinators manage collectors. The views are thin: ``fulfilment.services.collection``
holds the rules.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import SafeExportMixin
from core.forms import add_service_errors
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.selectors import provinces_in_scope
from core.templatetags.persian import num

from ..filters.pickups import CollectableWorkshopFilter, PickupFilter
from ..forms.pickups import CollectorForm, PickupHeaderForm, PickupRowForm, RevokeForm
from ..selectors.pickups import (
    collectable_quotas,
    collector_in_scope,
    pickup_for_user,
    pickup_lines,
    pickups_in_scope,
    workshop_to_collect_for_user,
    workshops_to_collect_from,
)
from ..services.collection import PickupError, collector_appoint, collector_revoke, collectors_in_scope, pickup_record
from ..tables.pickups import PickupTable


class PickupPagesMixin(RoleRequiredMixin):
    capability = "record_pickups"


class CoordinatorOnlyMixin(RoleRequiredMixin):
    capability = "appoint_collectors"


class PickupListView(PickupPagesMixin, SafeExportMixin, SingleTableMixin, FilterView):
    table_class = PickupTable
    filterset_class = PickupFilter
    template_name = "orders/pickup/list.html"
    paginate_by = 25
    export_name = "pickups"

    def get_queryset(self):
        return pickups_in_scope(self.request.user)


class CollectableWorkshopsView(PickupPagesMixin, FilterView):
    """Where to collect: workshops holding produced units nobody has picked up yet."""

    filterset_class = CollectableWorkshopFilter
    template_name = "orders/pickup/workshops.html"
    paginate_by = 50

    def get_queryset(self):
        return workshops_to_collect_from(self.request.user)


class PickupRecordView(PickupPagesMixin, TemplateView):
    template_name = "orders/pickup/record.html"

    def setup_workshop(self):
        self.workshop = workshop_to_collect_for_user(self.request.user, self.kwargs["workshop_pk"])
        self.quotas = list(collectable_quotas(self.workshop))

    def render_page(self, header: PickupHeaderForm, rows: list[PickupRowForm], status: int = 200):
        context = self.get_context_data(workshop=self.workshop, header=header, rows=rows)
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        self.setup_workshop()
        return self.render_page(PickupHeaderForm(), [PickupRowForm(quota=quota) for quota in self.quotas])

    def post(self, request, *args, **kwargs):
        self.setup_workshop()
        header = PickupHeaderForm(request.POST)
        rows = [PickupRowForm(request.POST, quota=quota) for quota in self.quotas]
        # Every form is validated (no short-circuit), so every error shows at once.
        invalid_rows = [row for row in rows if not row.is_valid()]
        if header.is_valid() and not invalid_rows:
            try:
                pickup = pickup_record(
                    workshop=self.workshop,
                    pickup_date=header.cleaned_data["pickup_date"],
                    lines=[row.line() for row in rows],
                    actor=request.user,
                    note=header.cleaned_data["note"],
                )
            except PickupError as error:
                for row in rows:
                    for field, field_messages in error.line_errors.get(row.quota.pk, {}).items():
                        row.add_error(field if field in row.fields else None, field_messages)
                for field, field_messages in error.general.items():
                    header.add_error(field if field in header.fields else None, field_messages)
            except ValidationError as error:
                add_service_errors(header, error)
            else:
                units = sum(line.accepted_units for line in pickup.lines.all())
                messages.success(
                    request,
                    _("Pickup recorded: %(units)s accepted units from %(workshop)s.")
                    % {"units": num(units), "workshop": self.workshop.name},
                )
                return redirect("pickups:detail", pk=pickup.pk)
        messages.error(request, _("Nothing was recorded; see the messages below."))
        return self.render_page(header, rows)


class PickupDetailView(PickupPagesMixin, TemplateView):
    template_name = "orders/pickup/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pickup = pickup_for_user(self.request.user, self.kwargs["pk"])
        context.update(pickup=pickup, lines=pickup_lines(pickup))
        return context


class CollectorsView(CoordinatorOnlyMixin, TemplateView):
    """The coordinator's collectors: the list, a form to appoint one, a button to revoke each."""

    template_name = "orders/pickup/collectors.html"

    def provinces(self):
        return provinces_in_scope(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CollectorForm(provinces=self.provinces()))
        context["collectors"] = collectors_in_scope(self.request.user)
        context["revoke_form"] = RevokeForm()
        return context

    def post(self, request, *args, **kwargs):
        form = CollectorForm(request.POST, provinces=self.provinces())
        if form.is_valid():
            with refusal_shown(form) as refused:
                collector = collector_appoint(actor=request.user, **form.cleaned_data)
            if not refused:
                messages.success(request, _("%(name)s can now record pickups.") % {"name": collector.full_name})
                # Shown once, on this response only (never stored in the session or a cookie).
                context = self.get_context_data(appointed=collector, password=collector.temporary_password)
                return self.render_to_response(context)
        return self.render_to_response(self.get_context_data(form=form))


class CollectorRevokeView(CoordinatorOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        collector = collector_in_scope(request.user, pk)
        if collector is None:
            raise Http404
        collector_revoke(actor=request.user, collector=collector)
        messages.success(
            request, _("%(name)s can no longer record pickups in your provinces.") % {"name": collector.full_name}
        )
        return redirect("pickups:collectors")
