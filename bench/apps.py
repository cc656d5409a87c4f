"""A diagnosis switch of bench/load.py, never the deployment: the site without the daily figures' tracking.

``reports.daily_tracking`` recomputes the days a transaction touched right after its commit, inside the
request. ``bench/load.py --without-daily-tracking`` starts gunicorn with ``HAMDELI_BENCH_DAILY_TRACKING=0``,
which installs this app last, so its ``ready`` runs after the reports room's and disconnects those receivers:
the difference between the two runs is what the tracking costs the evening peak.
"""

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save, pre_save

TRACKING_UID = "reports.daily_tracking"


class WithoutDailyTrackingConfig(AppConfig):
    name = "bench"
    label = "bench_without_daily_tracking"

    def ready(self) -> None:
        for signal in (pre_save, post_save, post_delete):
            for model in apps.get_models():
                signal.disconnect(sender=model, dispatch_uid=TRACKING_UID)
        try:
            from core.signals import figures_changed
        except ImportError:  # the tracking is not there at all
            return
        figures_changed.disconnect(dispatch_uid=TRACKING_UID)
