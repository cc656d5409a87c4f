from django.contrib import admin

from core.admin_base import HamdeliModelAdmin, ReadOnlyAdminMixin

from .models import DailyActivity, DailyFigure, ThematicReport


@admin.register(ThematicReport)
class ThematicReportAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Read-only: reports are requested on the reports pages and made by the Celery task."""

    list_display = ["pk", "province", "period_start", "period_end", "language", "status", "progress", "created_by"]
    list_filter = ["status", "language"]
    list_select_related = ["province", "created_by"]

    def get_queryset(self, request):
        # Coordinators are staff: the admin shows them only the reports the reports pages would.
        return super().get_queryset(request).visible_to(request.user)


@admin.register(DailyFigure)
class DailyFigureAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Read-only copies of the raw rows (``reports.daily_figures``): mended by ``manage.py rebuild_daily_figures``."""

    list_display = ["day", "province", "product", "demand_units", "produced_units", "delivered_units", "funded_rials"]
    list_filter = ["product"]
    list_select_related = ["province", "product"]
    date_hierarchy = "day"


@admin.register(DailyActivity)
class DailyActivityAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Read-only: which workshop made which product on which day (the dashboard's active-workshop counts)."""

    list_display = ["day", "workshop", "product", "province", "is_woman_headed"]
    list_filter = ["product", "is_woman_headed"]
    list_select_related = ["workshop", "product", "province"]
    raw_id_fields = ["workshop"]
    date_hierarchy = "day"
