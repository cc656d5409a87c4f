"""Validators and normalisers for identifiers people type by hand."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .persian import strip_bidi_controls, to_latin_digits

MOBILE_RE = re.compile(r"^09\d{9}$")
# What people put between the digits of a phone number; anything else is a typing mistake.
_NOT_PHONE_TYPING = re.compile(r"[^0-9+\s\-().\u2010-\u2015]")


def normalize_mobile(value: str) -> str:
    """Canonical ``09xxxxxxxxx`` from the ways people write an Iranian mobile number.

    Accepts Persian/Arabic digits, spaces, dashes and brackets, and the
    ``+98`` / ``0098`` / ``98`` prefixes. Text with anything else in it (letters)
    is returned as typed, and anything not valid is returned cleaned, so the
    validator can report it.
    """
    text = to_latin_digits(strip_bidi_controls(str(value)))
    if _NOT_PHONE_TYPING.search(text):
        # Letters (``0912abc1234567``) mean a mistyped number: dropping them would store someone else's.
        return text.strip()
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
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


def normalize_national_id(value: str) -> str:
    """Ten ASCII digits; leading zeros that people often drop are put back."""
    digits = "".join(ch for ch in to_latin_digits(str(value)) if not ch.isspace() and ch != "-")
    if digits.isdigit() and 8 <= len(digits) < 10:
        digits = digits.zfill(10)
    return digits


def is_valid_national_id(value: str) -> bool:
    """Iranian national ID (کد ملی): ten digits, the last a mod-11 check digit."""
    if not re.fullmatch(r"\d{10}", value or "") or len(set(value)) == 1:
        return False
    check = int(value[9])
    remainder = sum(int(value[i]) * (10 - i) for i in range(9)) % 11
    return check == remainder if remainder < 2 else check == 11 - remainder


def validate_national_id(value: str) -> None:
    if not is_valid_national_id(value):
        raise ValidationError(
            _("This national ID is not valid. Check the ten digits on the national card."), code="invalid_national_id"
        )


def normalize_sheba(value: str) -> str:
    """``IR`` + 24 digits, upper case, without spaces; ``IR`` is added when only the digits were typed."""
    text = "".join(ch for ch in to_latin_digits(str(value)).upper() if not ch.isspace() and ch != "-")
    if re.fullmatch(r"\d{24}", text):
        text = "IR" + text
    return text


def is_valid_sheba(value: str) -> bool:
    """Iranian IBAN (شبا): ``IR`` + 24 digits with an ISO 7064 mod-97 checksum."""
    if not re.fullmatch(r"IR\d{24}", value or ""):
        return False
    rearranged = value[4:] + value[:4]
    as_number = "".join(str(int(ch, 36)) for ch in rearranged)  # I -> 18, R -> 27
    return int(as_number) % 97 == 1


def validate_sheba(value: str) -> None:
    if not is_valid_sheba(value):
        raise ValidationError(
            _("This Sheba number is not valid. It is IR followed by 24 digits, as your bank gives it."),
            code="invalid_sheba",
        )


def national_id_with_check_digit(first_nine: str) -> str:
    """Complete nine digits into a valid national ID (for demo data and tests)."""
    remainder = sum(int(first_nine[i]) * (10 - i) for i in range(9)) % 11
    return first_nine + str(remainder if remainder < 2 else 11 - remainder)


def sheba_with_check_digits(bban: str) -> str:
    """Complete the 22-digit account part into a valid ``IR`` Sheba (for demo data and tests)."""
    check = 98 - int(bban + "182700") % 97  # "IR" -> 18 27, check digits "00"
    return f"IR{check:02d}{bban}"


def luhn_valid(number: str) -> bool:
    """The Luhn check digit that every Iranian (Shetab) bank card carries, and pledge references too."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that makes ``body`` + it pass ``luhn_valid``."""
    return next(digit for digit in "0123456789" if luhn_valid(body + digit))


def normalize_card_number(value: str) -> str:
    return "".join(ch for ch in to_latin_digits(value or "") if ch.isdigit())


def validate_card_number(value: str) -> None:
    number = normalize_card_number(value)
    if len(number) != 16 or not luhn_valid(number):
        raise ValidationError(
            _("This card number is not valid: a bank card has 16 digits; check them on the card."),
            code="invalid_card_number",
        )


def required_reason(reason: str | None, message) -> str:
    """The reason typed for a refusal or a cancellation, trimmed; a blank one is refused on the ``reason`` field."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason
