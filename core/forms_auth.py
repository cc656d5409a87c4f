from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .forms import MobileNumberField


class MobileLoginForm(AuthenticationForm):
    """Log in with mobile number and password; the number may be typed with Persian digits."""

    username = MobileNumberField(label=_("Mobile number"))
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("The mobile number or password is not correct."),
        "inactive": _("This account is inactive."),
    }
