from django.contrib import admin

from core.admin_base import HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin

from .models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, ProvinceScopedAdminMixin, HamdeliModelAdmin):
    list_display = ["received_at", "sender", "text", "command", "outcome", "reply"]
    list_filter = ["outcome", "command"]
    search_fields = ["sender", "text", "gateway_id"]
