"""Any logged-in user chooses how Hamdeli contacts them (SMS, email) and whether they get daily reminders."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .forms import add_service_errors
from .notification_forms import NotificationSettingsForm
from .notifications.preferences import PREFERENCE_FIELDS, notification_preferences_set


class NotificationSettingsView(LoginRequiredMixin, FormView):
    template_name = "core/notification_settings.html"
    form_class = NotificationSettingsForm

    def get_initial(self):
        return {field: getattr(self.request.user, field) for field in PREFERENCE_FIELDS}

    def form_valid(self, form):
        try:
            notification_preferences_set(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your notification settings are saved."))
        return redirect("core:notification-settings")
