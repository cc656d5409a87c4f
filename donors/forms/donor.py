"""Forms of the donor's own pages: sign-up and pledging, a few fields per screen, Persian digits everywhere."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_RIALS, MIN_PLEDGE_RIALS
from core.forms import LocalizedIntegerField, PersianCharField, PlainTextField
from core.persian import to_latin_digits
from workshops.forms import SignupForm

from ..models import DonorKind

MAX_PLEDGE_RIALS = MAX_RIALS


class DonorSignupForm(SignupForm):
    """The donor's account (mobile, name, password twice) and who she gives as."""

    kind = forms.ChoiceField(
        label=_("You give as"),
        choices=DonorKind.choices,
        initial=DonorKind.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    registration_number = PlainTextField(
        label=_("National ID or registration number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
        help_text=_("Optional. For a receipt in the name of a charity, NGO or company."),
    )

    def clean_registration_number(self):
        value = to_latin_digits(self.cleaned_data["registration_number"].strip())
        if value and not value.isdigit():
            raise ValidationError(_("Use digits only."))
        return value


def gift_amount_field(max_value: int) -> LocalizedIntegerField:
    """The amount a donor types, pledged or paid online: the smallest pledge up to ``max_value`` rials."""
    return LocalizedIntegerField(
        label=_("Amount (rials)"),
        min_value=MIN_PLEDGE_RIALS,
        max_value=max_value,
        error_messages={"min_value": _("The smallest pledge is %(limit_value)s rials.")},
        help_text=_("For example ۵۰٬۰۰۰٬۰۰۰. Persian digits and thousands separators are fine."),
    )


class PledgeForm(forms.Form):
    """How much, shown by name or not, and an optional message."""

    amount_rials = gift_amount_field(MAX_PLEDGE_RIALS)
    is_anonymous = forms.BooleanField(
        label=_("Do not show my name on public pages"),
        required=False,
    )
    message = PersianCharField(
        label=_("Message (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A new key each time the form is shown; sent twice (a double tap, a resend), it records one pledge.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_key", uuid.uuid4())
