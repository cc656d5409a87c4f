"""Receipt download (the donor of the pledge or a coordinator in scope; 404 otherwise) and public check page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from ..receipts.selectors import receipts_for_public_check, receipts_visible_to
from ..receipts.services import receipt_download
from ..receipts.tokens import receipt_from_token


class ReceiptDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        receipt = get_object_or_404(receipts_visible_to(request.user), pk=pk)
        content, is_copy = receipt_download(receipt)
        response = HttpResponse(content, content_type="application/pdf")
        suffix = "-copy" if is_copy else ""
        response["Content-Disposition"] = f'attachment; filename="{receipt.number}{suffix}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class ReceiptVerifyView(TemplateView):
    """Public: number, date and amount only — never the donor or the purpose."""

    template_name = "donors/receipts/verify.html"

    def get_context_data(self, **kwargs):
        receipt_id = receipt_from_token(self.kwargs["token"])
        if receipt_id is None:
            raise Http404
        receipt = get_object_or_404(receipts_for_public_check(), pk=receipt_id)
        return {**super().get_context_data(**kwargs), "receipt": receipt}
