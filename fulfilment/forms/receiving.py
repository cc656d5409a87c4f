"""Forms of the receiver's pages: the count per delivery line, and the short code typed from the sheet."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_UNITS
from core.forms import LocalizedIntegerField, NumericTextInput, PersianCharField, PlainTextField
from core.persian import to_latin_digits

from ..models import DeliveryLine
from ..services.receiving import ReceivedLine, reason_key, received_key, rejected_key

# Big targets for thumbs on small phones; the browser offers the digit keypad.
_NUMBER_ATTRS = {"class": "receiving-number", "autocomplete": "off"}


class ConfirmationForm(forms.Form):
    """Per line: units received (pre-filled with the units sent), units rejected and why; then who received them.

    Field names follow the service's error keys (``received_units_<line id>``
    and so on), so its messages land next to the right input.
    """

    receiver_name = PersianCharField(label=_("Your name"), max_length=120)
    receiver_role = PersianCharField(
        label=_("Your role"),
        max_length=120,
        required=False,
        help_text=_("For example: storekeeper, head nurse."),
    )

    def __init__(self, *args, lines: list[DeliveryLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        line_fields = {}
        for line in lines:
            line_fields[received_key(line)] = LocalizedIntegerField(
                max_value=MAX_UNITS,
                label=_("Received"),
                min_value=0,
                initial=line.units,
                widget=NumericTextInput(attrs=_NUMBER_ATTRS),
            )
            line_fields[rejected_key(line)] = LocalizedIntegerField(
                max_value=MAX_UNITS,
                label=_("Rejected"),
                min_value=0,
                required=False,
                initial=0,
                widget=NumericTextInput(attrs=_NUMBER_ATTRS),
            )
            line_fields[reason_key(line)] = PersianCharField(
                label=_("Reason for rejecting"), max_length=300, required=False
            )
        # The lines first, then who received them: the order a receiver works in.
        self.fields = {**line_fields, **self.fields}

    def rows(self) -> list[dict]:
        """Each line with its three bound fields, for the template."""
        return [
            {
                "line": line,
                "received": self[received_key(line)],
                "rejected": self[rejected_key(line)],
                "reason": self[reason_key(line)],
            }
            for line in self.lines
        ]

    def answers(self) -> dict[int, ReceivedLine]:
        data = self.cleaned_data
        return {
            line.pk: ReceivedLine(
                received_units=data[received_key(line)],
                rejected_units=data.get(rejected_key(line)) or 0,
                reject_reason=data.get(reason_key(line)) or "",
            )
            for line in self.lines
        }


def normalize_short_code(text: str) -> str:
    """The code as stored: Latin digits, capitals, no spaces or dashes (``ab-۲۳ cd`` -> ``AB23CD``)."""
    return re.sub(r"[\s\-\u2010-\u2015_\u200c.]", "", to_latin_digits(text or "")).upper()


class ShortCodeForm(forms.Form):
    code = PlainTextField(
        label=_("Code printed on the delivery sheet"),
        max_length=40,
        help_text=_("Eight letters and digits, next to the QR code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
                "class": "receiving-code",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalize_short_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Enter the code printed on the sheet."))
        return code
