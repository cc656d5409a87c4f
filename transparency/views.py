"""The public results page (no login, figures added up, nothing that names a donor or a workshop), and the
coordinator's API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View

from core.permissions import sees_all_provinces, user_can
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from reports.periods import DashboardPeriod

from .forms import ApiTokenForm
from .privacy import MINIMUM
from .selectors import campaign_period, public_province_map, public_results
from .selectors_tokens import tokens_visible_to
from .services import CAPABILITY, api_token_issue, api_token_revoke

# The new key waits in the session for the page the form redirects to, which shows it once. With a double click
# the browser shows the answer to the second request, which issued nothing: the key must outlive the first one.
NEW_KEY = "transparency.new_api_key"


class PublicResultsView(TemplateView):
    template_name = "transparency/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        period = DashboardPeriod.from_params(params) if params.get("from") or params.get("to") else campaign_period()
        context["results"] = public_results(period)
        context["minimum"] = MINIMUM
        # The board's pledge pages are for donors and guests; other roles would follow the tiles into a 403.
        user = self.request.user
        may_give = not user.is_authenticated or user_can(user, "give")
        context["province_map"] = public_province_map(self.request.GET.get("map"), link_to_board=may_give)
        return context


@method_decorator(never_cache, name="dispatch")  # the page may show a new key: no browser or proxy keeps a copy
class ApiTokenListView(RoleRequiredMixin, TemplateView):
    capability = CAPABILITY
    template_name = "transparency/api_tokens.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or ApiTokenForm()
        context["tokens"] = tokens_visible_to(self.request.user)
        context["sees_all"] = sees_all_provinces(self.request.user)
        context["new_key"] = self.request.session.pop(NEW_KEY, None)
        return context

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            with refusal_shown(form) as refused:
                issued = api_token_issue(
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    submission_key=form.cleaned_data["submission_key"],
                )
            if not refused:
                if issued.key is not None:
                    request.session[NEW_KEY] = {"name": issued.token.name, "key": issued.key}
                return redirect("api-tokens:list")
        messages.error(request, _("No token was issued; see the message below."))
        return self.render_to_response(self.get_context_data(form=form))


class ApiTokenRevokeView(RoleRequiredMixin, View):
    capability = CAPABILITY
    http_method_names = ["post"]

    def post(self, request, pk: int):
        token = get_object_or_404(tokens_visible_to(request.user), pk=pk)
        with refusal_shown(request=request) as refused:
            api_token_revoke(token=token, actor=request.user)
        if not refused:
            messages.success(
                request, _("The token “%(name)s” is revoked: its key now gets 401.") % {"name": token.name}
            )
        return redirect("api-tokens:list")
