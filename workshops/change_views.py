"""The coordinator's list of pending workshop changes (another province, a new Sheba) and her decision on one.

A request is decided by a coordinator of the workshop's current province; one
outside her provinces is 404. The owner's side is the profile page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.forms import PersianCharField
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin

from .change_requests import change_request_decide, pending_changes_in_scope


class DecisionForm(forms.Form):
    """The reason is required to reject (checked by ``change_request_decide``); the owner sees it."""

    reason = PersianCharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required to reject; the owner sees it."),
    )


class PendingChangesView(RoleRequiredMixin, TemplateView):
    """GET: the pending requests of her provinces, each with approve and reject; POST ``<pk>``: decide one."""

    capability = "supervise_workshops"
    template_name = "workshops/change_requests.html"

    def rows(self, bound: tuple[int, DecisionForm] | None = None) -> list[dict]:
        rows = []
        for change in pending_changes_in_scope(self.request.user):
            form = bound[1] if bound and bound[0] == change.pk else DecisionForm(prefix=change.pk)
            # The workshop page belongs to production (above workshops): the view names it, not the template.
            workshop_url = reverse("supply:workshop-detail", args=[change.workshop.pk])
            rows.append({"request": change, "form": form, "workshop_url": workshop_url})
        return rows

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=kwargs.pop("rows", None) or self.rows(), **kwargs)


class DecideChangeView(PendingChangesView):
    """POST only: approve or reject one request; a form error shows the list again with what was typed."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        change = pending_changes_in_scope(request.user).filter(pk=pk).first()
        if change is None:
            raise Http404
        form = DecisionForm(request.POST, prefix=pk)
        approve = request.POST.get("decision") == "approve"
        if form.is_valid():
            with refusal_shown(form) as refused:
                change_request_decide(
                    request=change, approve=approve, reason=form.cleaned_data["reason"], actor=request.user
                )
            if not refused:
                done = (
                    _("The change of “%(name)s” is approved and applied.")
                    if approve
                    else _("The change of “%(name)s” is rejected.")
                )
                messages.success(request, done % {"name": change.workshop.name})
                return redirect("workshops:change-requests")
        return self.render_to_response(self.get_context_data(rows=self.rows((pk, form))))
