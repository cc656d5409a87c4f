"""Receipt download (the donor of the pledge or a coordinator in scope; 404 otherwise) and public check page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from core.models import Role
from core.scoping import scope_by_province, sees_all_provinces

from ..models import Receipt
from ..receipts import receipt_download, receipt_from_token


def receipts_visible_to(user):
    """The donor's own receipts; a coordinator's: receipts of orders in her provinces (all for national ones)."""
    own = Q(pledge__donor__user=user)
    if user.is_superuser or sees_all_provinces(user):
        return Receipt.objects.all()
    if user.role == Role.COORDINATOR:
        scoped = scope_by_province(Receipt.objects.all(), user, field="pledge__order__health_center__province")
        return Receipt.objects.filter(Q(pk__in=scoped.values("pk")) | own)
    return Receipt.objects.filter(own)


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

    template_name = "donors/receipt_verify.html"

    def get_context_data(self, **kwargs):
        receipt_id = receipt_from_token(self.kwargs["token"])
        if receipt_id is None:
            raise Http404
        receipt = get_object_or_404(Receipt.objects.only("number", "issued_on", "amount_rials"), pk=receipt_id)
        return {**super().get_context_data(**kwargs), "receipt": receipt}
