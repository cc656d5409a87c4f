from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import login_throttle
from .client_ip import client_ip
from .forms import MobileNumberField
from .persian import ui_number

# fa: به دلیل تلاش‌های ناموفق زیاد، ورود با این شماره برای ۱۵ دقیقه بسته شد.
LOCKED_MESSAGE = _("Too many failed attempts: logging in with this number is blocked for %(minutes)s minutes.")


class MobileLoginForm(AuthenticationForm):
    """Log in with mobile number and password; the number may be typed with Persian digits.

    Repeated wrong passwords for one number from one address lock that pair for a
    while (``core.login_throttle``); the form then refuses even the right password.
    """

    username = MobileNumberField(label=_("Mobile number"))
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("The mobile number or password is not correct."),
        "inactive": _("This account is inactive."),
        "locked": LOCKED_MESSAGE,
    }

    def clean(self):
        # Already normalized by MobileNumberField; missing when the number itself is invalid.
        mobile = self.cleaned_data.get("username")
        if not mobile or not self.cleaned_data.get("password"):
            return super().clean()
        ip = client_ip(self.request) if self.request is not None else ""
        if login_throttle.is_locked(mobile, ip):
            raise self._locked_error()
        try:
            cleaned_data = super().clean()
        except ValidationError:
            if login_throttle.record_failure(mobile, ip):
                raise self._locked_error() from None
            raise
        login_throttle.reset(mobile, ip)
        return cleaned_data

    def _locked_error(self) -> ValidationError:
        return ValidationError(
            self.error_messages["locked"],
            code="locked",
            params={"minutes": ui_number(login_throttle.lockout_minutes())},
        )
