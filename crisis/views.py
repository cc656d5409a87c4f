"""The national coordinator's crisis severity page: the levels in force, declaring one, a spreadsheet, the history."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.i18n import page_is_persian
from core.jalali import format_long
from core.persian import ui_number
from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin

from .forms import SeverityDeclareForm, SeverityImportForm
from .importing import TEMPLATE_CSV, parse_severity_file
from .selectors import declaration_history, severity_board
from .services import severity_declare, severity_import


class SeverityPageMixin(RoleRequiredMixin):
    capability = "declare_severity"
    template_name = "crisis/board.html"

    def render_page(self, *, form=None, import_form=None, import_errors=None):
        context = {
            "board": severity_board(),
            "history": declaration_history(limit=50),
            "form": form or SeverityDeclareForm(initial={"effective_from": timezone.localdate()}),
            "import_form": import_form or SeverityImportForm(),
            "import_errors": import_errors or [],
        }
        return render(self.request, self.template_name, context)


class SeverityBoardView(SeverityPageMixin, View):
    """GET: every province's level in force; POST: declare one (a new row in the history)."""

    def get(self, request):
        return self.render_page()

    def post(self, request):
        form = SeverityDeclareForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with refusal_shown(form) as refused:
                declaration, created = severity_declare(
                    actor=request.user,
                    province=data["province"],
                    city=data["city"],
                    level=data["level"],
                    effective_from=data["effective_from"],
                    note=data["note"],
                )
            if not refused:
                place = declaration.city or declaration.province
                if created:
                    messages.success(
                        request,
                        _("%(place)s is %(level)s from %(day)s.")
                        % {
                            "place": place,
                            "level": declaration.get_level_display(),
                            "day": format_long(declaration.effective_from, persian=page_is_persian()),
                        },
                    )
                else:
                    messages.info(request, _("This level was already declared; nothing changed."))
                return redirect("severity:board")
        return self.render_page(form=form)


class SeverityImportView(SeverityPageMixin, View):
    """POST a spreadsheet: every row is declared, or none when a row has an error (listed by row)."""

    http_method_names = ["post"]

    def post(self, request):
        form = SeverityImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(import_form=form)
        upload = form.cleaned_data["file"]
        rows, errors = [], []
        with refusal_shown(form) as refused:
            rows, errors = parse_severity_file(upload.read(), upload.name)
        if refused or errors:
            return self.render_page(import_form=form, import_errors=errors)
        new, unchanged = severity_import(actor=request.user, rows=rows)
        messages.success(
            request,
            _("%(new)s levels declared, %(same)s already as in the file.")
            % {"new": ui_number(new), "same": ui_number(unchanged)},
        )
        return redirect("severity:board")


class SeverityTemplateView(RoleRequiredMixin, View):
    """The spreadsheet's columns with two example rows, as CSV (UTF-8 with BOM so Excel shows Persian)."""

    capability = "declare_severity"

    def get(self, request):
        response = HttpResponse("\ufeff" + TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="crisis-severity.csv"'
        return response
