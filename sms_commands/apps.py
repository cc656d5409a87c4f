from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsCommandsConfig(AppConfig):
    name = "sms_commands"
    verbose_name = _("SMS commands")
    # Read by `manage.py notification_schedules` (donors), which sits below this room and finds it by name.
    beat_schedules = "sms_commands.tasks.SCHEDULES"
