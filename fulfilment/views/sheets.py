"""The printing desk: one delivery sheet, a collector's route sheet, and batches of a day's sheets."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from core.i18n import page_language
from core.jalali import file_date
from core.scoping import RoleRequiredMixin
from core.selectors import province_names

from ..delivery_sheet import delivery_sheet_pdf
from ..forms.sheets import PickupSheetForm, SheetBatchForm
from ..models import SheetBatchStatus
from ..pickup_sheet import pickup_route_pdf
from ..selectors.sheets import deliveries_visible_to, sheet_batches_for
from ..tasks import sheet_batch_request


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class DeliverySheetView(RoleRequiredMixin, View):
    capability = "read_delivery_sheets"

    def get(self, request, pk):
        delivery = get_object_or_404(deliveries_visible_to(request.user), pk=pk)
        return pdf_response(delivery_sheet_pdf(delivery, language=page_language()), f"{delivery.code}.pdf")


class PickupSheetView(RoleRequiredMixin, TemplateView):
    """The form, or, once a city and a day are given, the route PDF itself (collectors print their own rounds)."""

    capability = "record_pickups"
    template_name = "orders/sheets/pickup_form.html"

    def get(self, request, *args, **kwargs):
        submitted = "city" in request.GET or "day" in request.GET
        form = PickupSheetForm(request.GET if submitted else None, user=request.user)
        if submitted and form.is_valid():
            city, day = form.cleaned_data["city"], form.cleaned_data["day"]
            content = pickup_route_pdf(city=city, day=day, language=page_language())
            return pdf_response(content, f"pickups-{city.pk}-{file_date(day)}.pdf")
        return self.render_to_response(self.get_context_data(form=form))


class SheetBatchListView(RoleRequiredMixin, ListView):
    capability = "print_sheets"
    template_name = "orders/sheets/batch_list.html"
    context_object_name = "batches"
    paginate_by = 20

    def get_queryset(self):
        return sheet_batches_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=SheetBatchForm(user=self.request.user), **kwargs)
        names = province_names()
        for batch in context["batches"]:
            batch.province_name = names.get(batch.province_code, "")
        return context


class SheetBatchCreateView(RoleRequiredMixin, TemplateView):
    capability = "print_sheets"
    template_name = "orders/sheets/batch_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SheetBatchForm(user=self.request.user))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = SheetBatchForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        with transaction.atomic():
            batch, created = sheet_batch_request(
                user=request.user,
                planned_date=form.cleaned_data["planned_date"],
                province_code=form.province_code,
                language=page_language(),
            )
        if not created:
            messages.info(request, _("The same sheets are already being prepared: here they are."))
        return redirect("sheets:batch-detail", pk=batch.pk)


class SheetBatchDetailView(RoleRequiredMixin, TemplateView):
    """The batch's progress (the page refreshes itself while it runs), its failures and the download."""

    capability = "print_sheets"
    template_name = "orders/sheets/batch_detail.html"

    def get_context_data(self, **kwargs):
        batch = get_object_or_404(sheet_batches_for(self.request.user), pk=self.kwargs["pk"])
        processed = batch.done + len(batch.failures)
        finished = batch.status in (SheetBatchStatus.DONE, SheetBatchStatus.FAILED)
        return super().get_context_data(
            batch=batch,
            province_name=province_names().get(batch.province_code, ""),
            finished=finished,
            processed=processed,
            percent=100 if finished else (processed * 100 // batch.total if batch.total else 0),
            **kwargs,
        )


class SheetBatchDownloadView(RoleRequiredMixin, View):
    capability = "print_sheets"

    def get(self, request, pk):
        batch = get_object_or_404(sheet_batches_for(request.user), pk=pk)
        if batch.status != SheetBatchStatus.DONE or not batch.file:
            raise Http404
        name = f"sheets-{file_date(batch.planned_date)}-{batch.province_code or 'all'}.pdf"
        response = FileResponse(
            batch.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=name
        )
        response["Cache-Control"] = "private, no-store"
        return response
