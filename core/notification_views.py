"""Any logged-in user chooses how Hamdeli contacts them (SMS, email) and whether they get daily reminders."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .notification_forms import NotificationSettingsForm
from .notifications.preferences import PREFERENCE_FIELDS, notification_preferences_set
from .refusals import refusal_shown


class NotificationSettingsView(LoginRequiredMixin, FormView):
    template_name = "core/notification_settings.html"
    form_class = NotificationSettingsForm

    def get_initial(self):
        return {field: getattr(self.request.user, field) for field in PREFERENCE_FIELDS}

    def form_valid(self, form):
        with refusal_shown(form) as refused:
            notification_preferences_set(user=self.request.user, **form.cleaned_data)
        if refused:
            return self.form_invalid(form)
        messages.success(self.request, _("Your notification settings are saved."))
        return redirect("core:notification-settings")
