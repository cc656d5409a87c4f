from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationSettingsForm(forms.Form):
    notify_by_sms = forms.BooleanField(label=_("Send me SMS messages"), required=False)
    notify_by_email = forms.BooleanField(label=_("Send me emails"), required=False)
    email = forms.EmailField(
        label=_("Email address"), required=False, help_text=_("Needed only for messages by email.")
    )
    reminders_opt_out = forms.BooleanField(
        label=_("No daily reminders"),
        required=False,
        help_text=_("Owners get an evening reminder to report their output; coordinators a morning to-do list."),
    )
