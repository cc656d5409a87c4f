from django.contrib import admin

from core.admin_base import HamdeliModelAdmin, ReadOnlyAdminMixin

from .models import ThematicReport


@admin.register(ThematicReport)
class ThematicReportAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Read-only: reports are requested on the reports pages and made by the Celery task."""

    list_display = ["pk", "province", "period_start", "period_end", "language", "status", "progress", "created_by"]
    list_filter = ["status", "language"]
    list_select_related = ["province", "created_by"]

    def get_queryset(self, request):
        # Coordinators are staff: the admin shows them only the reports the reports pages would.
        return super().get_queryset(request).visible_to(request.user)
