"""The coordinator's bank statements: upload one, see what matched, confirm the matched pledges in one step."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.templatetags.persian import num

from ..forms.statements import StatementUploadForm
from ..statements.models import StatementLineStatus
from ..statements.selectors import statement_lines, statements_visible_to
from ..statements.services import statement_confirm_matched, statement_upload

# The sections of a statement's page, in the order a coordinator works through them.
SECTIONS = (
    StatementLineStatus.MATCHED,
    StatementLineStatus.AMBIGUOUS,
    StatementLineStatus.UNMATCHED,
    StatementLineStatus.CONFIRMED,
    StatementLineStatus.ALREADY,
)


class StatementUploadView(RoleRequiredMixin, TemplateView):
    capability = "manage_donations"
    template_name = "donors/coordinator/statement_upload.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or StatementUploadForm()
        context["statements"] = statements_visible_to(self.request.user)[:20]
        return context

    def post(self, request):
        form = StatementUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with refusal_shown(form) as refused:
                statement, created = statement_upload(actor=request.user, file_name=upload.name, content=upload.read())
            if not refused:
                if not created:
                    messages.info(request, _("You uploaded this file before; here is what it holds now."))
                return redirect("donations:statement-detail", pk=statement.pk)
        messages.error(request, _("Nothing was changed; see the message below."))
        return self.render_to_response(self.get_context_data(form=form))


class StatementDetailView(RoleRequiredMixin, TemplateView):
    capability = "manage_donations"
    template_name = "donors/coordinator/statement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = get_object_or_404(statements_visible_to(self.request.user), pk=kwargs["pk"])
        lines = list(statement_lines(statement))
        context["statement"] = statement
        context["sections"] = [
            {"status": status, "label": status.label, "lines": [line for line in lines if line.status == status]}
            for status in SECTIONS
        ]
        context["matched_count"] = sum(1 for line in lines if line.status == StatementLineStatus.MATCHED)
        return context


class StatementConfirmView(RoleRequiredMixin, TemplateView):
    capability = "manage_donations"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        statement = get_object_or_404(statements_visible_to(request.user), pk=pk)
        with refusal_shown(request=request) as refused:
            outcome = statement_confirm_matched(actor=request.user, statement=statement)
        if not refused:
            if outcome.confirmed:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s pledge confirmed; its receipt and the donor's message follow.",
                        "%(count)s pledges confirmed; their receipts and the donors' messages follow.",
                        outcome.confirmed,
                    )
                    % {"count": num(outcome.confirmed)},
                )
            if outcome.already:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s line was recorded meanwhile and was left as it was.",
                        "%(count)s lines were recorded meanwhile and were left as they were.",
                        outcome.already,
                    )
                    % {"count": num(outcome.already)},
                )
            if not outcome.confirmed and not outcome.already:
                messages.info(request, _("No matched line was waiting; nothing was changed."))
        return redirect("donations:statement-detail", pk=statement.pk)
