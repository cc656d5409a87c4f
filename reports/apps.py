from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Coordinator dashboard and the ministry's thematic reports: they read from every app, so they sit on top."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from core.task_claims import register_claimed_work

        from .models import ThematicReport, ThematicReportStatus

        # A report whose task died mid-way is queued again by the outbox sweep (see core.task_claims).
        register_claimed_work(
            model=ThematicReport,
            task_name="reports.tasks.thematic_report_generate",
            queued=ThematicReportStatus.QUEUED,
            running=ThematicReportStatus.RUNNING,
        )
