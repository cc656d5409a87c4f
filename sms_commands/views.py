"""The gateway's "received message" callback and the coordinator's message log."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from core.scoping import RoleRequiredMixin

from .filters import MessageLogFilter
from .selectors import message_log
from .services import sms_receive


def _field(request, *names: str) -> str:
    """A field of the callback, as a form or as JSON; gateways name them differently (``from``/``sender``...)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = {}
    else:
        data = request.POST
    for name in names:
        value = data.get(name) if hasattr(data, "get") else None
        if value not in (None, ""):
            return str(value)
    return ""


@csrf_exempt  # the gateway holds no CSRF token; the secret in the URL is the check
@require_POST
def gateway_callback(request, secret: str):
    """One inbound message from the gateway; answers with the reply (gateways that send it from the answer may)."""
    expected = getattr(settings, "SMS_INBOUND_SECRET", "")
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Http404
    gateway_id = _field(request, "id", "message_id", "messageid")
    sender = _field(request, "from", "sender")
    text = _field(request, "text", "message", "body")
    if not gateway_id or not sender:
        return HttpResponseBadRequest("id and from are required")
    message, created = sms_receive(gateway_id=gateway_id, sender=sender, text=text)
    return JsonResponse({"id": message.gateway_id, "duplicate": not created, "reply": message.reply})


class MessageLogView(RoleRequiredMixin, FilterView):
    """The inbound messages of the coordinator's provinces: who wrote what, what it did and what we answered."""

    capability = "read_sms_log"
    template_name = "sms_commands/message_log.html"
    context_object_name = "sms_messages"
    filterset_class = MessageLogFilter
    paginate_by = 50

    def get_queryset(self):
        return message_log(self.request.user)
