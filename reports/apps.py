from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Coordinator dashboard and the ministry's thematic reports: they read from every app, so they sit on top."""

    name = "reports"
    verbose_name = _("Reports")
