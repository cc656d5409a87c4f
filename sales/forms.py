"""The owner's listing, photo, answer and sale forms; the coordinator's return form; the buyer's inquiry form."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_RIALS, MAX_UNITS
from core.forms import (
    IdempotencyKeyMixin,
    JalaliDateField,
    LocalizedIntegerField,
    MobileNumberField,
    PersianCharField,
    PlainTextField,
    idempotency_key_field,
    required_reason_field,
)

from .models import DESCRIPTION_MAX, MESSAGE_MAX, SaleChannel
from .photos import MAX_UPLOAD_BYTES
from .selectors import listable_products

CONSENT_TEXT = _(
    "I agree that the name I give here, my workshop's city and province, the products I choose, my description "
    "and my photos are shown to everyone on Hamdeli's showcase, and that buyers may send me messages through it. "
    "My own name, mobile number, address and national ID are never shown. I can take this back at any time, "
    "and my listing and photos are then hidden at once."
)


class ListingForm(forms.Form):
    shop_name = PersianCharField(
        label=_("Name shown to buyers"),
        max_length=80,
        help_text=_("Your workshop's name or your first name; no surname or phone number."),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products you make"),
        queryset=listable_products(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one product you make.")},
    )
    description = PersianCharField(
        label=_("About your work"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX}),
    )
    takes_commercial_orders = forms.BooleanField(label=_("I take commercial orders"), required=False)
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Tick the box to agree to be shown on the showcase.")},
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo of your work"),
        help_text=_("JPEG, PNG or WebP, up to 3 MB. Location and camera details are removed from the photo."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": _("Choose a photo.")},
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        # Refuse a huge file before reading it all (sales.photos checks the bytes it is given again).
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The photo is larger than 3 MB. Please choose a smaller photo."))
        return upload


class AnswerForm(forms.Form):
    answer = PersianCharField(
        label=_("Your answer"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX}),
        error_messages={"required": _("Write your answer.")},
    )
    share_number = forms.BooleanField(
        label=_("Share my mobile number with this buyer"),
        required=False,
        help_text=_("Only if ticked is your number sent to the buyer with your answer."),
    )


class ReturnForm(forms.Form):
    reason = required_reason_field()


class InquiryForm(forms.Form):
    name = PersianCharField(label=_("Your name"), max_length=80)
    mobile = MobileNumberField(label=_("Your mobile number"), help_text=_("The answer comes to this number by SMS."))
    message = PersianCharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX}),
    )
    # A field people never see (hidden by sales.css, skipped by keyboards and screen readers): a bot that fills every
    # box fills it too, and its message is dropped while it is shown the usual thanks.
    website = PlainTextField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class SaleRecordForm(IdempotencyKeyMixin, forms.Form):
    """A sale she made. ``idempotency_key`` makes a double-submitted form record once; the rules (not in the
    future, within a year, at least one unit) are ``sales.services.sale_record``'s."""

    sold_on = JalaliDateField(
        label=_("Date sold"),
        initial=timezone.localdate,
        error_messages={"required": _("Enter the day of the sale.")},
    )
    channel = forms.ChoiceField(label=_("Sold through"), choices=SaleChannel.choices)
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=listable_products(),
        required=False,
        empty_label=_("Something else (write it below)"),
    )
    product_text = PersianCharField(label=_("Or what was sold"), max_length=120, required=False)
    units = LocalizedIntegerField(
        max_value=MAX_UNITS,
        label=_("Units sold"),
        error_messages={"required": _("Enter the number of units sold: at least 1.")},
    )
    amount_rials = LocalizedIntegerField(
        max_value=MAX_RIALS,
        label=_("Amount received (rials)"),
        error_messages={"required": _("Enter the amount the buyer paid, in rials.")},
    )
    note = PersianCharField(label=_("Note (optional)"), max_length=300, required=False)
    idempotency_key = idempotency_key_field()
