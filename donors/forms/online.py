"""The online gift's form: an amount (Persian digits and separators welcome) and, for a guest, a mobile number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_ONLINE_GIFT_RIALS, MIN_PLEDGE_RIALS
from core.forms import LocalizedIntegerField, MobileNumberField


class OnlineGiftForm(forms.Form):
    amount_rials = LocalizedIntegerField(
        label=_("Amount (rials)"),
        min_value=MIN_PLEDGE_RIALS,
        max_value=MAX_ONLINE_GIFT_RIALS,
        error_messages={"min_value": _("The smallest pledge is %(limit_value)s rials.")},
        help_text=_("For example ۵۰٬۰۰۰٬۰۰۰. Persian digits and thousands separators are fine."),
    )
    mobile = MobileNumberField(
        label=_("Mobile number"),
        help_text=_("Your receipt comes to this number by SMS."),
    )

    def clean_amount_rials(self) -> int:
        amount = self.cleaned_data["amount_rials"]
        if amount % 10:
            # Banks take whole tomans: a rial amount that is not a multiple of ten cannot be paid exactly.
            raise forms.ValidationError(_("Online, give a whole number of tomans: an amount ending in 0 rials."))
        return amount

    def __init__(self, *args, guest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["mobile"]
