"""Form fields that accept what people actually type.

Browsers' ``<input type="number">`` refuses Persian digits on many phones, so
numeric inputs are text inputs with ``inputmode="numeric"`` and the
normalisation happens here.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from . import bounds, jalali
from .i18n import page_is_persian
from .persian import (
    NumberFormatError,
    normalize_text,
    parse_decimal_text,
    parse_integer,
    strip_bidi_controls,
    to_latin_digits,
    to_persian_digits,
    ui_number,
)
from .validators import (
    normalize_mobile,
    normalize_national_id,
    normalize_sheba,
    validate_mobile,
    validate_national_id,
    validate_sheba,
)


class NumericTextInput(forms.TextInput):
    """A text box for numbers that shows its value in Persian digits on the Persian site.

    The parsers below read Persian digits and the Persian decimal mark back, so
    a pre-filled ``۱۲۰۰`` round-trips; text that is not a plain number (what
    someone typed wrongly) is shown as typed.
    """

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", **(attrs or {})})

    def format_value(self, value):
        text = super().format_value(value)
        if text is not None and page_is_persian() and _PLAIN_NUMBER.fullmatch(text):
            return to_persian_digits(text).replace(".", "٫")
        return text


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _localized_bounds(validators: list) -> list:
    """Django's min/max validators swapped for ours, whose messages show the limit in the page's digits."""
    swapped = []
    for validator in validators:
        if type(validator) is MaxValueValidator:
            validator = bounds.LocalizedMaxValueValidator(validator.limit_value)
        elif type(validator) is MinValueValidator:
            validator = bounds.LocalizedMinValueValidator(validator.limit_value)
        swapped.append(validator)
    return swapped


class LocalizedIntegerField(forms.IntegerField):
    """The one parser for whole numbers people type: Persian/Arabic digits, thousands separators (``۵۰٬۰۰۰``).

    A decimal mark is refused rather than dropped (``۱۲٫۵`` is not 125), separators
    must group thousands, and every field has a maximum: ``max_value`` if given,
    otherwise ``core.bounds.MAX_RIALS``, the largest number anyone types here.
    """

    widget = NumericTextInput
    default_error_messages = {
        "decimal": _("Enter a whole number, without a decimal mark."),
        "grouping": _("Separators may only group thousands, as in 12,500."),
    }

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        super().__init__(max_value=bounds.MAX_RIALS if max_value is None else max_value, min_value=min_value, **kwargs)
        self.validators = _localized_bounds(self.validators)

    def to_python(self, value):
        if isinstance(value, str):
            if value.strip() in self.empty_values:
                return None
            try:
                return parse_integer(value)
            except NumberFormatError as error:
                if error.code == "too_large":
                    bounds.LocalizedMaxValueValidator(self.max_value)(self.max_value + 1)
                code = error.code if error.code in self.error_messages else "invalid"
                raise ValidationError(self.error_messages[code], code=code) from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        # IntegerField would add min/max/step attributes meant for type="number".
        return forms.Field.widget_attrs(self, widget)


class LocalizedDecimalField(forms.DecimalField):
    """Decimal input accepting Persian/Arabic digits, the Persian decimal mark (``۱٫۵``) and grouped thousands."""

    widget = NumericTextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = _localized_bounds(self.validators)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                value = parse_decimal_text(value)
            except NumberFormatError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)


class PlainTextField(forms.CharField):
    """Text kept as typed (codes, bank references) except for invisible direction controls.

    A U+202E typed into a vehicle number prints "flow" as "wolf" on a delivery
    sheet; every text field in the project strips them (tests/core/test_text_input.py
    walks all forms to hold that). ZWNJ stays: Persian needs it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # Django's own message writes the numbers in Latin digits inside Persian text: the same words, our digits.
            self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
            self.validators.append(_at_most_characters(int(self.max_length)))

    def to_python(self, value):
        value = super().to_python(value)
        return strip_bidi_controls(value).strip() if value else value


def _at_most_characters(limit: int):
    def validate(value: str) -> None:
        if len(value) > limit:
            raise ValidationError(
                _("Ensure this value has at most %(limit)s characters (it has %(length)s).")
                % {"limit": ui_number(limit), "length": ui_number(len(value))},
                code="max_length",
            )

    return validate


class PersianCharField(PlainTextField):
    """Names and free text: ی/ک for Arabic ي/ك, single spaces, no direction controls."""

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


def bank_reference_field() -> PlainTextField:
    """The bank's reference for a payment, asked when a pledge's money arrives and when a payout batch is paid."""
    return PlainTextField(
        label=_("Bank reference"),
        max_length=100,
        error_messages={"required": _("Enter the bank's reference for this payment.")},
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
            return jalali.format_short(value, persian=page_is_persian())
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
        except jalali.JalaliDateError as error:
            hint = ValidationError(self.error_messages["invalid"], code="invalid")
            if error.days is None:
                raise hint from None
            raise ValidationError([_month_length_error(error), hint]) from None


JALALI_DATE_HELP = _("Jalali date, e.g. 1405/09/07.")


def jalali_date_field(label, required_message, *, help_text=JALALI_DATE_HELP) -> JalaliDateField:
    """A date the form cannot do without, typed in Jalali."""
    return JalaliDateField(label=label, help_text=help_text, error_messages={"required": required_message})


def _month_length_error(error: jalali.JalaliDateError) -> ValidationError:
    """ "Mehr has 30 days." (Esfand names its year, since its length depends on it.)"""
    persian = page_is_persian()
    month = (jalali.MONTHS_FA if persian else jalali.MONTHS_EN)[error.month - 1]
    days = to_persian_digits(error.days) if persian else str(error.days)
    if error.month < 12:
        return ValidationError(
            _("%(month)s has %(days)s days."), code="no_such_day", params={"month": month, "days": days}
        )
    year = to_persian_digits(error.year) if persian else str(error.year)
    message = (
        _("Esfand %(year)s has %(days)s days (a leap year).")
        if error.days == 30
        else _("Esfand %(year)s has %(days)s days; only a leap year's has 30.")
    )
    return ValidationError(message, code="no_such_day", params={"year": year, "days": days})


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


def idempotency_key_field() -> forms.UUIDField:
    """The hidden key that makes a form sent twice (double click, offline copy, back button) count once."""
    stale = _("This form is out of date. Please check the numbers and send it again.")
    return forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": stale, "invalid": stale})


class IdempotencyKeyMixin:
    """For a form with ``idempotency_key = idempotency_key_field()``: a fresh key on every empty form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A fresh key each time an empty form is shown; a re-rendered (bound) form keeps the one it was sent with.
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def renew_key_if_invalid(self) -> None:
        """After a missing or tampered key, the re-rendered form carries a new one so the next send can work."""
        if self.is_bound and "idempotency_key" in self.errors:
            data = self.data.copy()
            data[self.add_prefix("idempotency_key")] = str(uuid.uuid4())
            self.data = data
