"""Forms of logging in and of passwords: login (main and admin), change, forced change, reset by SMS code."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import login_throttle
from .client_ip import client_ip
from .forms import MobileNumberField
from .persian import to_latin_digits, ui_number

# fa: به دلیل تلاش‌های ناموفق زیاد، ورود با این شماره برای ۱۵ دقیقه بسته شد.
LOCKED_MESSAGE = _("Too many failed attempts: logging in with this number is blocked for %(minutes)s minutes.")
ADDRESS_LOCKED_MESSAGE = _("Too many failed attempts from your network: logging in is blocked for %(minutes)s minutes.")


def locked_error(reason: str) -> ValidationError:
    """The lock message for ``login_throttle.NUMBER`` or ``login_throttle.ADDRESS``, minutes in the UI's digits."""
    message = ADDRESS_LOCKED_MESSAGE if reason == login_throttle.ADDRESS else LOCKED_MESSAGE
    return ValidationError(message, code="locked", params={"minutes": ui_number(login_throttle.lockout_minutes())})


def _request_ip(request) -> str:
    return client_ip(request) if request is not None else ""


class MobileLoginForm(auth_forms.AuthenticationForm):
    """Log in with mobile number and password; the number may be typed with Persian digits.

    The lockout itself lives in the authentication backend (``core.auth``), which
    every login path goes through; this form only tells a locked user why.
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

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Django caps the box at the model's 11 characters, cutting "۰۹۱۲ ۳۴۵ ۶۷۸۹" or "+98 ..." short on a phone.
        field = self.fields["username"]
        field.max_length = MobileNumberField().max_length
        field.widget.attrs["maxlength"] = field.max_length

    def clean(self):
        # Already normalized by MobileNumberField; missing when the number itself is invalid.
        mobile = self.cleaned_data.get("username")
        try:
            return super().clean()
        except ValidationError:
            reason = login_throttle.lock_reason(mobile, _request_ip(self.request)) if mobile else None
            if reason:
                raise locked_error(reason) from None
            raise


class AdminMobileLoginForm(MobileLoginForm):
    """``/admin/login/``: the same number field and lockout as the main login, for staff only."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise self.get_invalid_login_error()


class _CurrentPasswordThroughThrottle:
    """The current-password check goes through ``authenticate``: a stolen session cannot guess without limit."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.mobile, password=old_password)
        if checked is not None and checked.pk == self.user.pk:
            return old_password
        reason = login_throttle.lock_reason(self.user.mobile, _request_ip(self.request))
        if reason:
            raise locked_error(reason)
        raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")


class PasswordChangeForm(_CurrentPasswordThroughThrottle, auth_forms.PasswordChangeForm):
    """Current password, then the new one twice (Django's validators, Persian digits in their messages)."""


class FirstPasswordForm(auth_forms.SetPasswordForm):
    """The forced change after logging in with a password someone else chose: only the new one, twice.

    She has just typed the temporary password to get here, so it is not asked
    again; the new one must differ from it.
    """

    def clean_new_password1(self):
        password = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            raise ValidationError(_("Choose a password other than the one you were given."), code="password_unchanged")
        return password


class OneTimeCodeField(forms.CharField):
    """Six digits, typed in Persian, Arabic or Latin digits, spaces allowed."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "dir": "ltr", "placeholder": "۱۲۳۴۵۶"}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(to_latin_digits(value).split()) if value else value

    def validate(self, value):
        super().validate(value)
        if value and not (len(value) == 6 and value.isascii() and value.isdigit()):
            raise ValidationError(_("Enter the six digits of the code we sent by SMS."), code="invalid_code")


class PasswordResetRequestForm(forms.Form):
    """Step 1 of the reset: the mobile number to send the code to."""

    mobile = MobileNumberField(label=_("Mobile number"), help_text=_("The number you log in with."))


class PasswordResetCodeForm(forms.Form):
    """Step 2 of the reset: the code from the SMS and the new password twice (checked by the service)."""

    mobile = MobileNumberField(label=_("Mobile number"))
    code = OneTimeCodeField(label=_("Code from the SMS"))
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=auth_forms.password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if password1 and password2 and password1 != password2:
            self.add_error("new_password2", _("The two passwords are not the same."))
        return cleaned
