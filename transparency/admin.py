from django.contrib import admin

from core.admin_base import HamdeliModelAdmin, ReadOnlyAdminMixin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Issued and revoked on the coordinator's token page (audited there); the admin only shows them."""

    list_display = ["name", "owner", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "prefix", "owner__full_name", "owner__mobile"]
    exclude = ["key_hash"]
