"""Validators and normalisers for identifiers people type by hand."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .persian import to_latin_digits

MOBILE_RE = re.compile(r"^09\d{9}$")


def normalize_mobile(value: str) -> str:
    """Canonical ``09xxxxxxxxx`` from the ways people write an Iranian mobile number.

    Accepts Persian/Arabic digits, spaces, dashes and brackets, and the
    ``+98`` / ``0098`` / ``98`` prefixes. Returns the cleaned text even when it
    is not a valid number, so the validator can report it.
    """
    digits = "".join(ch for ch in to_latin_digits(str(value)) if ch.isdigit() or ch == "+")
    digits = digits.lstrip("+")
    if not digits:
        return str(value).strip()  # nothing number-like: keep it so the validator can say what is wrong
    if digits.startswith("0098"):
        digits = "0" + digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = "0" + digits[2:]
    elif digits.startswith("9") and len(digits) == 10:
        digits = "0" + digits
    return digits


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter a mobile number of 11 digits starting with 09, e.g. 09121234567."),
            code="invalid_mobile",
        )
