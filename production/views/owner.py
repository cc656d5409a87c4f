"""The workshop owner's quota pages: inbox, accept/decline, daily output report and correction, history.

Every quota is loaded through ``quotas_of_owner`` so another workshop's quota
is simply not found (404). The rules live in ``production.services.quotas``; a view parses
the form, calls one service, shows its ValidationError next to the field it
names (keeping what was typed) and redirects after success.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core import jalali
from core.i18n import page_is_persian
from core.offline import allow_offline_copy
from core.persian import ui_number
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from workshops.selectors import workshop_of_owner

from ..forms.owner import OutputCorrectForm, OutputReportForm, QuotaDeclineForm
from ..models import Quota, QuotaStatus
from ..selectors.quotas import (
    earnings_of_workshop,
    inbox_quotas,
    inbox_workshop,
    owner_output_reports,
    quota_of_owner_to_report,
    quota_progress,
    quota_reports,
    quotas_at_risk,
    quotas_of_owner,
)
from ..services.quotas import output_correct, output_report, quota_accept, quota_decline


class OwnerPageMixin(RoleRequiredMixin):
    capability = "report_output"

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # Her own pages: the installable app may keep a copy to read offline (core/offline.py).
        return allow_offline_copy(response) if request.method == "GET" else response

    def get_quota(self) -> Quota:
        return get_object_or_404(quotas_of_owner(self.request.user), pk=self.kwargs["pk"])


class QuotaInboxView(OwnerPageMixin, TemplateView):
    """Offers waiting for an answer, accepted quotas with their progress, and closed ones below."""

    template_name = "orders/owner/inbox.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workshop = inbox_workshop(self.request.user)
        offered, accepted, closed = [], [], []
        at_risk: set[int] = set()
        if workshop:
            offered, accepted, closed = inbox_quotas(workshop)
            at_risk = {quota.pk for quota in quotas_at_risk(workshop, accepted=accepted)}
        today = timezone.localdate()
        context.update(
            workshop=workshop,
            offered=offered,
            accepted=[(quota, quota_progress(quota, today), quota.pk in at_risk) for quota in accepted],
            closed=closed,
        )
        return context


class QuotaAcceptView(OwnerPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        quota = self.get_quota()
        with refusal_shown(request=request) as refused:
            quota_accept(quota=quota, owner=request.user)
        if refused:
            return redirect("quotas:inbox")
        messages.success(request, _("You accepted this quota. Report what you make here every working day."))
        return redirect("quotas:detail", pk=quota.pk)


class QuotaDeclineView(OwnerPageMixin, View):
    template_name = "orders/owner/decline.html"

    def get(self, request, pk):
        quota = self.get_quota()
        if quota.status != QuotaStatus.OFFERED:
            messages.info(request, _("This quota is no longer waiting for an answer."))
            return redirect("quotas:detail", pk=quota.pk)
        return self.render_page(quota, QuotaDeclineForm())

    def post(self, request, pk):
        quota = self.get_quota()
        form = QuotaDeclineForm(request.POST)
        if form.is_valid():
            with refusal_shown(form) as refused:
                quota_decline(quota=quota, owner=request.user, reason=form.cleaned_data["reason"])
            if not refused:
                messages.success(request, _("You declined the quota. Thank you for saying why."))
                return redirect("quotas:inbox")
        return self.render_page(quota, form)

    def render_page(self, quota, form):
        return render(self.request, self.template_name, {"quota": quota, "form": form})


def _detail_page(request, quota: Quota, *, report_form=None, correction: tuple[int, OutputCorrectForm] | None = None):
    """The quota page: progress, the report form, this quota's reports with same-day correction forms."""
    today = timezone.localdate()
    reports = list(quota_reports(quota))
    accepted = quota.status == QuotaStatus.ACCEPTED
    rows = []
    for report in reports:
        correctable = accepted and timezone.localtime(report.created_at).date() == today
        form = None
        if correctable:
            if correction and correction[0] == report.pk:
                form = correction[1]
            else:
                form = OutputCorrectForm(
                    prefix=f"correct-{report.pk}", initial={"quantity": report.quantity, "note": report.note}
                )
        rows.append((report, form))
    if report_form is None and accepted:
        report_form = OutputReportForm()
    context = {
        "quota": quota,
        "progress": quota_progress(quota) if accepted else None,
        "at_risk": accepted and quota in quotas_at_risk(quota.workshop),
        "report_form": report_form,
        "reports": rows,
        "correction_open": correction[0] if correction else None,
    }
    return render(request, "orders/owner/detail.html", context)


class QuotaDetailView(OwnerPageMixin, View):
    """GET shows the quota; POST records a day's output (idempotent) and redirects back here."""

    def get(self, request, pk):
        return _detail_page(request, self.get_quota())

    def post(self, request, pk):
        # The bare quota row: the service locks and re-reads it, the page is only drawn again after a refusal.
        quota = get_object_or_404(quota_of_owner_to_report(request.user), pk=pk)
        form = OutputReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with refusal_shown(form) as refused:
                report, created = output_report(
                    quota=quota,
                    owner=request.user,
                    quantity=data["quantity"],
                    report_date=data["report_date"],
                    note=data["note"],
                    idempotency_key=data["idempotency_key"],
                )
            if not refused:
                # A new report carries the locked quota with its new total; a repeated one loads it now.
                total = report.quota.produced_units
                if created:
                    messages.success(
                        request,
                        _("Recorded %(units)s units for %(day)s. Total so far: %(total)s of %(quantity)s.")
                        % {
                            "units": ui_number(report.quantity),
                            "day": jalali.format_long(report.report_date, persian=page_is_persian()),
                            "total": ui_number(total),
                            "quantity": ui_number(quota.quantity),
                        },
                    )
                else:
                    messages.info(
                        request,
                        _("This report was already recorded; it was not counted twice. Total so far: %(total)s.")
                        % {"total": ui_number(total)},
                    )
                return redirect("quotas:detail", pk=quota.pk)
        form.renew_key_if_invalid()
        return _detail_page(request, self.get_quota(), report_form=form)


class OutputCorrectView(OwnerPageMixin, View):
    """Same-day correction of one report; errors re-render the quota page with the typed values."""

    http_method_names = ["post"]

    def post(self, request, pk, report_pk):
        quota = self.get_quota()
        report = get_object_or_404(quota_reports(quota), pk=report_pk)
        form = OutputCorrectForm(request.POST, prefix=f"correct-{report.pk}")
        if form.is_valid():
            with refusal_shown(form) as refused:
                output_correct(
                    report=report,
                    owner=request.user,
                    quantity=form.cleaned_data["quantity"],
                    note=form.cleaned_data["note"],
                )
            if not refused:
                quota.refresh_from_db(fields=["produced_units"])
                messages.success(
                    request,
                    _("Report corrected. Total so far: %(total)s of %(quantity)s.")
                    % {"total": ui_number(quota.produced_units), "quantity": ui_number(quota.quantity)},
                )
                return redirect(reverse("quotas:detail", kwargs={"pk": quota.pk}) + "#reports")
        return _detail_page(request, quota, correction=(report.pk, form))


class OutputHistoryView(OwnerPageMixin, ListView):
    """Every output report of the owner's workshop, newest first, and what the work has earned."""

    template_name = "orders/owner/history.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):
        return owner_output_reports(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workshop = workshop_of_owner(self.request.user)
        context["workshop"] = workshop
        context["earnings"] = earnings_of_workshop(workshop) if workshop else None
        # The payouts page belongs to donors (above production): the view names it, not the template.
        context["payouts_url"] = reverse("my-payouts:list")
        return context
