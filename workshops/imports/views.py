"""The coordinator's import pages: the template, the upload, the preview of every row and the confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.refusals import refusal_shown
from core.scoping import RoleRequiredMixin
from core.templatetags.persian import num

from .files import FORMATS, template_file
from .forms import ConfirmForm, UploadForm
from .models import ImportKind
from .rows import ERROR, NEW, PRESENT
from .selectors import import_products, imports_visible_to
from .services import CAPABILITY, directory_import_request, directory_preview, directory_upload

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportUploadView(RoleRequiredMixin, TemplateView):
    capability = CAPABILITY
    template_name = "workshops/imports/upload.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or UploadForm()
        context["uploads"] = imports_visible_to(self.request.user)[:20]
        context["kinds"] = ImportKind.choices
        context["products"] = import_products()
        return context

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with refusal_shown(form) as refused:
                row = directory_upload(
                    actor=request.user, kind=form.cleaned_data["kind"], file_name=upload.name, content=upload.read()
                )
            if not refused:
                return redirect("workshops:imports:preview", pk=row.pk)
        messages.error(request, _("Nothing was imported; see the message below."))
        return self.render_to_response(self.get_context_data(form=form))


class ImportTemplateView(RoleRequiredMixin, View):
    """The template to fill, with the headers the importer reads and one example row."""

    capability = CAPABILITY

    def get(self, request, kind: str, fmt: str):
        if kind not in ImportKind.values or fmt not in FORMATS:
            raise Http404
        names = [product.name_fa for product in import_products()]
        response = HttpResponse(template_file(kind, fmt, names), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="hamdeli-{kind}-template.{fmt}"'
        return response


class ImportPreviewView(RoleRequiredMixin, TemplateView):
    """Before the import: every row with its errors; after it: what became of each row."""

    capability = CAPABILITY
    template_name = "workshops/imports/preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upload = get_object_or_404(imports_visible_to(self.request.user), pk=kwargs["pk"])
        context["upload"] = upload
        if upload.imported_at is not None:
            rows = upload.result.get("rows", [])
        else:
            try:
                rows = [row.as_result() for row in directory_preview(actor=self.request.user, upload=upload)]
            except ValidationError as error:
                context["file_errors"] = error.messages
                rows = []
        counts = {status: sum(row["status"] == status for row in rows) for status in (NEW, PRESENT, ERROR)}
        context.update(rows=rows, counts=counts, statuses={"new": NEW, "present": PRESENT, "error": ERROR})
        return context


class ImportConfirmView(RoleRequiredMixin, View):
    capability = CAPABILITY
    http_method_names = ["post"]

    def post(self, request, pk: int):
        upload = get_object_or_404(imports_visible_to(request.user), pk=pk)
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("This is not the file the preview showed; upload it again."))
            return redirect("workshops:imports:preview", pk=upload.pk)
        with refusal_shown(request=request) as refused:
            directory_import_request(actor=request.user, upload=upload, sha256=form.cleaned_data["sha256"])
        if not refused:
            # Without a broker the import has run by now (in-process); with one, a worker is on it.
            upload = get_object_or_404(imports_visible_to(request.user), pk=pk)
            if upload.imported_at is None:
                messages.info(request, _("The import is running; reload this page in a minute to see what it did."))
            else:
                result = upload.result
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(present)s already present, %(errors)s rows with errors left out.")
                    % {
                        "created": num(result["created"]),
                        "present": num(result["present"]),
                        "errors": num(result["errors"]),
                    },
                )
        return redirect("workshops:imports:preview", pk=upload.pk)
