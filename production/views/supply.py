"""The coordinator's supply pages: workshop list, one workshop's record and actions, supply summary.

Every page is for coordinators only and shows her provinces only (national
coordinators and superusers see all); a workshop outside them is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import SafeExportMixin
from core.persian import ui_number
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.tables import CountOnceMixin
from workshops.change_requests import pending_change_of
from workshops.models import Workshop
from workshops.services import STATUS_TRANSITIONS, note_add

from ..filters import WorkshopFilter
from ..forms.supply import STATUS_ACTIONS, NoteForm, StatusChangeForm
from ..selectors.supply import (
    OUTPUT_TIMELINE_DAYS,
    output_timeline,
    quota_history,
    supply_summary_for,
    utilisation_percent,
    working_weekdays,
    workshop_for_coordinator,
    workshop_history,
    workshop_load,
    workshops_for_coordinator,
)
from ..services.quotas import workshop_set_status_with_quotas
from ..supply import ACTIVE_QUOTA_STATUSES, SUPPLY_WINDOW_DAYS, window
from ..tables import STATUS_BADGES, SupplyTable, WorkshopTable

STATUS_MESSAGES = {
    "verify": gettext_lazy("“%(name)s” is verified and can now receive quotas."),
    "suspend": gettext_lazy("“%(name)s” is suspended: it receives no new quotas."),
    "reactivate": gettext_lazy("“%(name)s” is active again."),
}


class CoordinatorOnlyMixin(RoleRequiredMixin):
    capability = "supervise_workshops"


class WorkshopListView(CoordinatorOnlyMixin, SafeExportMixin, CountOnceMixin, SingleTableMixin, FilterView):
    table_class = WorkshopTable
    filterset_class = WorkshopFilter
    template_name = "orders/supply/workshop_list.html"
    paginate_by = 25
    export_name = "workshops"

    def get_queryset(self):
        return workshops_for_coordinator(self.request.user)

    def get_table_kwargs(self):
        # Loads already computed by the utilisation filter are reused, not computed again.
        return {"loads": getattr(self.filterset, "loads", None)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["window_days"] = SUPPLY_WINDOW_DAYS
        return context


def status_actions(workshop: Workshop, bound: tuple[str, StatusChangeForm] | None = None) -> list[dict]:
    """The status changes open to the workshop now, each with its form (the bound one keeps what was typed)."""
    allowed = STATUS_TRANSITIONS.get(workshop.status, {})
    actions = []
    for name, action in STATUS_ACTIONS.items():
        if action["to"] not in allowed or action["from"] not in (None, workshop.status):
            continue
        form = bound[1] if bound and bound[0] == name else StatusChangeForm(prefix=name)
        actions.append({"name": name, "label": action["label"], "form": form, "reason_required": allowed[action["to"]]})
    return actions


class WorkshopPageMixin(CoordinatorOnlyMixin):
    """Loads the workshop through the coordinator's scope and renders its page (also after a form error)."""

    template_name = "orders/supply/workshop_detail.html"

    def get_workshop(self) -> Workshop:
        try:
            return workshop_for_coordinator(self.request.user, self.kwargs["pk"])
        except Workshop.DoesNotExist:
            raise Http404 from None

    def page_context(self, workshop: Workshop, *, status_form=None, note_form=None) -> dict:
        today = timezone.localdate()
        quotas, on_time = quota_history(workshop, today)
        load = workshop_load(workshop, today)
        return {
            "workshop": workshop,
            "status_badge": STATUS_BADGES.get(workshop.status, ""),
            "weekdays": working_weekdays(workshop),
            "capacities": list(workshop.capacities.all()),
            "unavailable": list(workshop.unavailable_ranges.all()),
            "quotas": quotas,
            "on_time": on_time,
            "utilisation": utilisation_percent(load),
            "window_days": SUPPLY_WINDOW_DAYS,
            "active_quotas": sum(
                record.quota.status in ACTIVE_QUOTA_STATUSES and record.quota.remaining_units > 0 for record in quotas
            ),
            "timeline": output_timeline(workshop, today),
            "timeline_days": OUTPUT_TIMELINE_DAYS,
            "notes": list(workshop.notes.all()),
            "note_form": note_form or NoteForm(),
            "status_actions": status_actions(workshop, status_form),
            "history": workshop_history(workshop),
            "pending_change": pending_change_of(workshop),
            "today": today,
        }


class WorkshopDetailView(WorkshopPageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page_context(self.get_workshop()))
        return context


class WorkshopStatusView(WorkshopPageMixin, TemplateView):
    """POST: verify, suspend or reactivate; suspending also cancels the workshop's open quotas (audited)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        if action not in STATUS_ACTIONS:
            raise Http404
        workshop = self.get_workshop()
        form = StatusChangeForm(request.POST, prefix=action)
        if form.is_valid():
            with refusal_shown(form) as refused:
                workshop, cancelled = workshop_set_status_with_quotas(
                    workshop=workshop,
                    status=STATUS_ACTIONS[action]["to"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            if not refused:
                messages.success(request, STATUS_MESSAGES[action] % {"name": workshop.name})
                if cancelled:
                    messages.warning(
                        request,
                        _("%(count)s open quotas of this workshop were cancelled and will be offered again.")
                        % {"count": ui_number(len(cancelled))},
                    )
                return redirect("supply:workshop-detail", pk=workshop.pk)
        context = self.page_context(workshop, status_form=(action, form))
        if any(offered["name"] == action for offered in context["status_actions"]):
            messages.error(request, _("The status was not changed; see the message below."))
        else:  # e.g. suspended meanwhile in another tab: its form is not on the page, so say why here
            for error in form.errors.values():
                for message in error:
                    messages.error(request, message)
        return self.render_to_response(context)


class WorkshopNoteView(WorkshopPageMixin, TemplateView):
    """POST: add a coordinator's note (``workshops.services.note_add``)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        workshop = self.get_workshop()
        form = NoteForm(request.POST)
        if form.is_valid():
            with refusal_shown(form) as refused:
                note_add(workshop=workshop, author=request.user, text=form.cleaned_data["text"])
            if not refused:
                messages.success(request, _("Note added."))
                return redirect(reverse("supply:workshop-detail", kwargs={"pk": workshop.pk}) + "#notes")
        return self.render_to_response(self.page_context(workshop, note_form=form))


class SupplySummaryView(CoordinatorOnlyMixin, SafeExportMixin, SingleTableMixin, TemplateView):
    """Per province and product: verified workshops, daily and 14-day capacity, committed and free units."""

    table_class = SupplyTable
    template_name = "orders/supply/summary.html"
    table_pagination = False
    export_name = "supply"

    def get_table_data(self):
        return supply_summary_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first, last = window()
        context.update(window_days=SUPPLY_WINDOW_DAYS, window_first=first, window_last=last)
        return context
