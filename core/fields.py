"""Model fields that normalise Persian input before it reaches the database.

Django calls ``to_python`` from ``Model.full_clean`` (which ModelForms and the
admin run), so a name typed with an Arabic keyboard or a number typed with
Persian digits is stored in one canonical form whichever form it came from.
"""

from __future__ import annotations

from django.db import models

from . import bounds
from . import forms as core_forms
from .persian import normalize_text, strip_bidi_controls, to_latin_digits
from .validators import (
    normalize_card_number,
    normalize_mobile,
    normalize_national_id,
    normalize_sheba,
    validate_card_number,
    validate_mobile,
    validate_national_id,
    validate_sheba,
)


class PersianCharField(models.CharField):
    """Text stored with ی/ک instead of Arabic ي/ك and collapsed whitespace."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": core_forms.PersianCharField, **kwargs})


class TypedNumberField(models.CharField):
    """A number people type by hand, stored in one canonical form whatever keyboard, spaces or dashes they used.

    Subclasses say how long it is stored (``length``), how typing becomes that form (``normalize``) and which
    form field people type it in (``form_class``).
    """

    length: int
    form_class: type | None = None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.length)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})


class MobileNumberField(TypedNumberField):
    """An Iranian mobile number stored as ``09xxxxxxxxx``."""

    default_validators = [validate_mobile]
    length = 11
    normalize = staticmethod(normalize_mobile)
    form_class = core_forms.MobileNumberField


class RialField(models.PositiveBigIntegerField):
    """An amount of money in whole rials (no fractions exist in practice), at most ``bounds.MAX_RIALS``.

    The bound is a default validator (not a field argument) so it reaches every
    service's ``full_clean`` without a migration.
    """

    default_validators = bounds.rials_validators()

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": core_forms.LocalizedIntegerField, "max_value": bounds.MAX_RIALS, **kwargs}
        )


class QuantityField(models.PositiveIntegerField):
    """A count of units, at most ``bounds.MAX_UNITS``; accepts Persian digits and thousands separators in forms."""

    default_validators = bounds.units_validators()

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": core_forms.LocalizedIntegerField, "max_value": bounds.MAX_UNITS, **kwargs}
        )


class PhoneField(models.CharField):
    """A landline or mobile number kept with ASCII digits, whatever keyboard typed it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return strip_bidi_controls(to_latin_digits(value)).strip() if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": core_forms.PlainTextField, **kwargs})


class NationalIdField(TypedNumberField):
    """Iranian national ID (کد ملی), ten digits with a valid check digit."""

    default_validators = [validate_national_id]
    length = 10
    normalize = staticmethod(normalize_national_id)
    form_class = core_forms.NationalIdField


class ShebaField(TypedNumberField):
    """Iranian IBAN (شبا): ``IR`` + 24 digits with a valid mod-97 checksum."""

    default_validators = [validate_sheba]
    length = 26
    normalize = staticmethod(normalize_sheba)
    form_class = core_forms.ShebaField


class CardNumberField(TypedNumberField):
    """A 16-digit bank card number, stored as plain Latin digits (typed with Persian digits, spaces or dashes)."""

    default_validators = [validate_card_number]
    length = 16
    normalize = staticmethod(normalize_card_number)

    def formfield(self, **kwargs):
        # The form field must take what people type (spaces, dashes): the model cleans it down to 16 digits.
        return super().formfield(**{"max_length": 40, **kwargs})
