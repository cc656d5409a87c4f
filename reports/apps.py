from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Coordinator dashboard and the ministry's thematic reports: they read from every app, so they sit on top."""

    name = "reports"
    verbose_name = _("Reports")
    # Found by ``integrity_check`` (a lower room, which may not import this one).
    integrity_checks = "reports.daily_figures.integrity_problems"

    def ready(self):
        from core.task_claims import register_claimed_work

        from . import daily_tracking
        from .models import ThematicReport, ThematicReportStatus

        # The daily figures follow every write of the rows they count (see reports.daily_tracking).
        daily_tracking.connect()

        # A report whose task died mid-way is queued again by the outbox sweep (see core.task_claims).
        register_claimed_work(
            model=ThematicReport,
            task_name="reports.tasks.thematic_report_generate",
            queued=ThematicReportStatus.QUEUED,
            running=ThematicReportStatus.RUNNING,
        )
