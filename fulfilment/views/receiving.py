"""The receiver's pages: confirm a delivery through the sheet's link or code (no login), or in the app as staff.

- ``confirm``: the signed link from the QR code. A tampered or unknown token
  is 404, an expired one 410 with a page saying whom to call. An answered
  delivery shows its read-only summary; so does a second submission, with a
  polite word that nothing was counted twice.
- ``enter-code``: the eight-character code printed on the sheet, for phones
  without a QR reader; it redirects to the same page with a fresh link.
  Wrong codes are counted per IP address so the codes cannot be guessed.
- ``center-list`` / ``center-confirm``: health-center staff see their own
  center's deliveries and answer them in the app (another center's is 404).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.client_ip import client_ip
from core.forms import add_service_errors
from core.scoping import RoleRequiredMixin

from ..forms.receiving import ConfirmationForm, ShortCodeForm
from ..models import Delivery, DeliveryStatus
from ..receiving_links import CONFIRMATION_LINK_DAYS, LinkExpired, confirmation_path, delivery_from_token
from ..selectors.receiving import (
    center_delivery_list,
    center_delivery_to_answer,
    delivery_to_answer,
    delivery_with_short_code,
    lines_to_answer,
)
from ..services.receiving import (
    ALREADY_ANSWERED,
    NOT_DISPATCHED,
    already_answered_message,
    delivery_confirm,
    line_shortfalls,
    not_dispatched_message,
)

# Wrong short codes allowed from one IP address within the window before the form stops answering.
CODE_ATTEMPTS_ALLOWED = 10
CODE_ATTEMPTS_WINDOW_SECONDS = 10 * 60


def expired_response(request) -> HttpResponse:
    context = {"link_days": CONFIRMATION_LINK_DAYS}
    return TemplateResponse(request, "orders/receiving/expired.html", context, status=410)


class ConfirmationPageMixin:
    """GET shows the form (or the summary once answered); POST records the count through ``delivery_confirm``."""

    in_app = False

    def get_delivery(self) -> Delivery:
        raise NotImplementedError

    def actor(self):
        return None

    def initial(self) -> dict:
        return {}

    def render_page(self, delivery: Delivery, form: ConfirmationForm | None = None, *, notice: str = ""):
        context = {"delivery": delivery, "in_app": self.in_app, "notice": notice}
        if delivery.status == DeliveryStatus.PLANNED:  # the sheet is printed before the courier leaves
            context["notice"] = notice or not_dispatched_message(delivery)
            return TemplateResponse(self.request, "orders/receiving/not_dispatched.html", context)
        if delivery.is_read_only:
            template = "orders/receiving/summary.html"
            context["rows"] = line_shortfalls(delivery)
            context["short_total"] = sum(row["short"] for row in context["rows"])
        else:
            template = "orders/receiving/confirm.html"
            context["form"] = form or ConfirmationForm(lines=lines_to_answer(delivery), initial=self.initial())
            context["total_units"] = sum(line.units for line in context["form"].lines)
        return TemplateResponse(self.request, template, context)

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_delivery())

    def post(self, request, *args, **kwargs):
        delivery = self.get_delivery()
        if delivery.is_read_only:
            return self.render_page(delivery, notice=already_answered_message(delivery))
        form = ConfirmationForm(request.POST, lines=lines_to_answer(delivery))
        if form.is_valid():
            try:
                delivery = delivery_confirm(
                    delivery=delivery,
                    lines=form.answers(),
                    receiver_name=form.cleaned_data["receiver_name"],
                    receiver_role=form.cleaned_data["receiver_role"],
                    actor=self.actor(),
                )
            except ValidationError as error:
                if getattr(error, "code", None) in (ALREADY_ANSWERED, NOT_DISPATCHED):  # e.g. a double tap
                    delivery.refresh_from_db()
                    return self.render_page(delivery, notice=error.messages[0])
                add_service_errors(form, error)
            else:
                if delivery.status == DeliveryStatus.CONFIRMED:
                    messages.success(request, _("Thank you. The delivery is confirmed."))
                else:
                    messages.warning(
                        request, _("Thank you. The differences are recorded and the coordinator will follow them up.")
                    )
                return redirect(request.path)
        return self.render_page(delivery, form)


class ConfirmByLinkView(ConfirmationPageMixin, View):
    """The page the QR code opens; no login — the signed token is the permission."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.delivery = delivery_from_token(kwargs["token"])
        except LinkExpired:
            return expired_response(request)
        if self.delivery is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_delivery(self) -> Delivery:
        return delivery_to_answer(self.delivery.pk)


def _client_key(request) -> str:
    return f"receiving:code-failures:{client_ip(request)}"


def _too_many_attempts(request) -> bool:
    return (cache.get(_client_key(request)) or 0) >= CODE_ATTEMPTS_ALLOWED


def _count_failure(request) -> None:
    key = _client_key(request)
    # The window starts with the first wrong code; add() does nothing when the counter exists already.
    cache.add(key, 0, timeout=CODE_ATTEMPTS_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=CODE_ATTEMPTS_WINDOW_SECONDS)


class EnterCodeView(View):
    template_name = "orders/receiving/enter_code.html"

    def render_form(self, form: ShortCodeForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(self.request, self.template_name, {"form": form, "blocked": False}, status=status)

    def blocked(self) -> HttpResponse:
        context = {"form": None, "blocked": True, "minutes": CODE_ATTEMPTS_WINDOW_SECONDS // 60}
        return TemplateResponse(self.request, self.template_name, context, status=429)

    def get(self, request):
        if _too_many_attempts(request):
            return self.blocked()
        return self.render_form(ShortCodeForm())

    def post(self, request):
        # Checked before looking at the code, so a guesser learns nothing more once blocked.
        if _too_many_attempts(request):
            return self.blocked()
        form = ShortCodeForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        delivery = delivery_with_short_code(form.cleaned_data["code"])
        if delivery is None:
            _count_failure(request)
            if _too_many_attempts(request):
                return self.blocked()
            form.add_error("code", _("No delivery has this code. Check the code on the sheet and try again."))
            return self.render_form(form)
        if timezone.localdate() > delivery.planned_date + dt.timedelta(days=CONFIRMATION_LINK_DAYS):
            return expired_response(request)
        return redirect(confirmation_path(delivery))


# --- Health-center staff in the app -------------------------------------------------------------------------


class CenterStaffMixin(RoleRequiredMixin):
    capability = "confirm_receipt"


class CenterDeliveryListView(CenterStaffMixin, ListView):
    template_name = "orders/receiving/center_list.html"
    context_object_name = "deliveries"
    paginate_by = 25

    def get_queryset(self):
        return center_delivery_list(self.request.user.health_center_id)


class CenterConfirmView(CenterStaffMixin, ConfirmationPageMixin, View):
    in_app = True

    def get_delivery(self) -> Delivery:
        return get_object_or_404(center_delivery_to_answer(self.request.user.health_center_id), pk=self.kwargs["pk"])

    def actor(self):
        return self.request.user

    def initial(self) -> dict:
        return {"receiver_name": self.request.user.full_name}
