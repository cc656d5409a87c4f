"""Thematic report pages: the list (who generated what, when), the request form, the progress page, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core.i18n import page_language
from core.jalali import file_date
from core.scoping import RoleRequiredMixin

from .models import ThematicReport, ThematicReportStatus
from .tasks import thematic_report_request
from .thematic_forms import ThematicReportForm

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def reports_visible_to(user) -> QuerySet[ThematicReport]:
    return ThematicReport.objects.visible_to(user).select_related("province", "created_by")


class ThematicReportListView(RoleRequiredMixin, ListView):
    capability = "read_reports"
    template_name = "reports/thematic/list.html"
    context_object_name = "reports"
    paginate_by = 20

    def get_queryset(self):
        return reports_visible_to(self.request.user)


class ThematicReportCreateView(RoleRequiredMixin, TemplateView):
    capability = "read_reports"
    template_name = "reports/thematic/form.html"

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            language = page_language()
            initial = {"language": language}
            # Coming from the dashboard: the same province and period, still editable before submitting.
            for param, field in (("province", "province"), ("from", "period_start"), ("to", "period_end")):
                if self.request.GET.get(param):
                    initial[field] = self.request.GET[param]
            kwargs["form"] = ThematicReportForm(user=self.request.user, initial=initial)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = ThematicReportForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            report, created = thematic_report_request(
                user=request.user,
                province=form.cleaned_data["province"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                language=form.cleaned_data["language"],
            )
        if not created:
            messages.info(request, _("The same report is already being prepared: here it is."))
        return redirect("reports:thematic-detail", pk=report.pk)


class ThematicReportDetailView(RoleRequiredMixin, TemplateView):
    """The report's progress (the page refreshes itself until it is done), its failure message, the downloads."""

    capability = "read_reports"
    template_name = "reports/thematic/detail.html"

    def get_context_data(self, **kwargs):
        report = get_object_or_404(reports_visible_to(self.request.user), pk=self.kwargs["pk"])
        return super().get_context_data(report=report, **kwargs)


class ThematicReportDownloadView(RoleRequiredMixin, View):
    capability = "read_reports"

    def get(self, request, pk: int, kind: str):
        if kind not in CONTENT_TYPES:
            raise Http404
        report = get_object_or_404(reports_visible_to(request.user), pk=pk)
        stored = getattr(report, kind)
        if report.status != ThematicReportStatus.DONE or not stored:
            raise Http404
        where = report.province.code if report.province else "all"
        name = f"thematic-report-{where}-{file_date(report.period_start)}-{file_date(report.period_end)}.{kind}"
        response = FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[kind], as_attachment=True, filename=name)
        response["Cache-Control"] = "private, no-store"
        return response
