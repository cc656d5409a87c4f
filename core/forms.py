"""Form fields that accept what people actually type.

Browsers' ``<input type="number">`` refuses Persian digits on many phones, so
numeric inputs are text inputs with ``inputmode="numeric"`` and the
normalisation happens here.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import jalali
from .persian import normalize_text, strip_thousands, to_latin_digits
from .validators import (
    normalize_mobile,
    normalize_national_id,
    normalize_sheba,
    validate_mobile,
    validate_national_id,
    validate_sheba,
)


def _persian_ui() -> bool:
    return not (get_language() or "fa").startswith("en")


class NumericTextInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", **(attrs or {})})


class LocalizedIntegerField(forms.IntegerField):
    """Integer input accepting Persian/Arabic digits and thousands separators (``۵۰٬۰۰۰``)."""

    widget = NumericTextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = strip_thousands(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # IntegerField would add min/max/step attributes meant for type="number".
        return forms.Field.widget_attrs(self, widget)


class LocalizedDecimalField(forms.DecimalField):
    """Decimal input accepting Persian/Arabic digits and the Persian decimal mark (``۱٫۵``)."""

    widget = NumericTextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin_digits(value.strip()).replace("٫", ".").replace("/", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)


class PersianCharField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value) if value else value


def required_reason_field() -> PersianCharField:
    """The reason a coordinator must give to reject, cancel, extend or refund; the record's history keeps it."""
    return PersianCharField(
        label=_("Reason"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give a reason.")},
    )


class MobileNumberField(forms.CharField):
    default_validators = [validate_mobile]
    widget = forms.TextInput(
        attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr", "placeholder": "09xxxxxxxxx"}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)  # room for "+98 912 123 4567" before normalising
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_mobile(value) if value else value


class JalaliDateInput(forms.TextInput):
    """Shows a Gregorian date as Jalali text (``۱۴۰۵/۰۹/۰۷``)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "dir": "ltr", "placeholder": "۱۴۰۵/۰۹/۰۷", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return jalali.format_short(value, persian=_persian_ui())
        return super().format_value(value)


class JalaliDateField(forms.DateField):
    """A date typed in the Jalali calendar, cleaned to a Gregorian ``datetime.date``."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a Jalali date as year/month/day, e.g. 1405/09/07."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return jalali.parse_jalali(to_latin_digits(str(value)))
        except jalali.JalaliDateError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class NationalIdField(forms.CharField):
    default_validators = [validate_national_id]

    def __init__(self, **kwargs):
        kwargs["max_length"] = 20  # room for dashes and spaces before normalising
        kwargs.setdefault("widget", NumericTextInput(attrs={"placeholder": "۰۰۱۲۳۴۵۶۷۸"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_national_id(value) if value else value


class ShebaField(forms.CharField):
    default_validators = [validate_sheba]

    def __init__(self, **kwargs):
        kwargs["max_length"] = 40
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "placeholder": "IR..."})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_sheba(value) if value else value


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the field it names (or above the form), keeping what was typed."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error)
