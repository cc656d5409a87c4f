from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsCommandsConfig(AppConfig):
    name = "sms_commands"
    verbose_name = _("SMS commands")
