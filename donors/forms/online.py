"""The online gift's form: an amount (Persian digits and separators welcome) and, for a guest, a mobile number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_ONLINE_GIFT_RIALS
from core.forms import MobileNumberField

from .donor import gift_amount_field


class OnlineGiftForm(forms.Form):
    amount_rials = gift_amount_field(MAX_ONLINE_GIFT_RIALS)
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
