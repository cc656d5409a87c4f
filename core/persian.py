"""Persian text and digit helpers.

People type on Persian keyboards (۰-۹), Arabic keyboards (٠-٩) and Latin ones,
and Arabic keyboards produce ي/ك where Persian uses ی/ک. Everything that goes
into the database is normalised here first so that searches and unique checks
see one spelling.
"""

from __future__ import annotations

import re
from decimal import Decimal

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, LATIN_DIGITS * 2)
_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه"})

# Characters people use between thousands: Arabic thousands separator, comma,
# Arabic comma, apostrophe-like marks and (narrow) spaces. Never the Persian
# decimal mark U+066B: reading "۱۲٫۵" as 125 silently multiplied numbers by ten.
THOUSANDS_SEPARATORS = "٬,،'’ \u00a0\u202f"
PERSIAN_THOUSANDS_SEPARATOR = "٬"
# Marks people use before a fraction: the Persian decimal mark, the full stop and
# the slash that Persian keyboards without U+066B produce.
DECIMAL_MARKS = "٫./"

# Invisible characters that reorder the text around them (U+202E shows "flow" as
# "wolf" on a printed sheet): marks, embeddings, overrides, isolates and the Arabic
# letter mark. ZWNJ (U+200C) is not among them: Persian spelling needs it.
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_DROP_BIDI = str.maketrans(dict.fromkeys(BIDI_CONTROLS))
_GROUPS = re.compile(r"^\d{1,3}(?:[" + re.escape(THOUSANDS_SEPARATORS) + r"]\d{3})+$")


def to_latin_digits(value: str) -> str:
    """Replace Persian and Arabic-Indic digits with ASCII digits."""
    return value.translate(_TO_LATIN)


def to_persian_digits(value: object) -> str:
    """Replace ASCII and Arabic-Indic digits with Persian digits."""
    return str(value).translate(_TO_PERSIAN)


def strip_bidi_controls(value: str) -> str:
    """``value`` without the invisible direction controls that can make printed text read backwards."""
    return value.translate(_DROP_BIDI)


def normalize_text(value: str) -> str:
    """Canonical Persian spelling: ی/ک for Arabic ي/ك, no direction controls, trimmed, single spaces."""
    return " ".join(strip_bidi_controls(value).translate(_ARABIC_LETTERS).split())


# No quantity or amount in the project has more digits than this (see core.bounds).
MAX_TYPED_DIGITS = 18


class NumberFormatError(ValueError):
    """Typed text that is not a number of the expected kind; ``code`` says why, for the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def strip_thousands(value: str) -> str:
    """Digits in Latin form with correctly placed thousands separators removed (``۵۰٬۰۰۰`` -> ``50000``).

    Raises ``NumberFormatError`` with code ``"grouping"`` when separators do not
    group thousands (``1,2,3``), since guessing what was meant stores a wrong number.
    """
    latin = strip_bidi_controls(to_latin_digits(value.strip()))
    sign = ""
    if latin[:1] in "+-":
        sign, latin = latin[:1].replace("+", ""), latin[1:]
    if any(ch in THOUSANDS_SEPARATORS for ch in latin):
        if not _GROUPS.match(latin):
            raise NumberFormatError("grouping")
        latin = "".join(ch for ch in latin if ch not in THOUSANDS_SEPARATORS)
    return sign + latin


def parse_integer(value: str) -> int:
    """The whole number a person typed, in any digits, with or without thousands separators.

    ``۱۲٬۵۰۰`` -> 12500. A decimal mark (``۱۲٫۵``, ``12.5``, ``12/5``) raises
    ``NumberFormatError("decimal")`` instead of being dropped; anything else that is
    not a whole number raises ``NumberFormatError("invalid")``.
    """
    text = strip_bidi_controls(to_latin_digits(value.strip()))
    if any(mark in text for mark in DECIMAL_MARKS):
        raise NumberFormatError("decimal")
    digits = strip_thousands(text)
    if not re.fullmatch(r"-?\d+", digits):
        raise NumberFormatError("invalid")
    if len(digits.lstrip("-0")) > MAX_TYPED_DIGITS:
        raise NumberFormatError("too_large")  # before int(): Python refuses to parse thousands of digits
    return int(digits)


def parse_decimal_text(value: str) -> str:
    """Latin ``123.45`` text from ``۱۲۳٫۴۵``, ``1,234/5`` and the like; the field turns it into a Decimal."""
    text = strip_bidi_controls(to_latin_digits(value.strip()))
    for mark in DECIMAL_MARKS:
        text = text.replace(mark, ".")
    whole, dot, fraction = text.partition(".")
    return strip_thousands(whole) + dot + fraction


def group_thousands(number: int | float | Decimal, *, persian: bool) -> str:
    """``1234567`` -> ``۱٬۲۳۴٬۵۶۷`` (Persian) or ``1,234,567``; fractions keep at most two places."""
    if isinstance(number, float):
        number = Decimal(str(round(number, 2)))
    text = format(number, ",f")  # ",f" never switches to exponent notation (Decimal("8E+1") -> "80")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if persian:
        return to_persian_digits(text.replace(",", PERSIAN_THOUSANDS_SEPARATOR).replace(".", "٫"))
    return text


class LocalizedNumber:
    """A number that formats itself with Persian digits when the active language is Persian.

    For labels built once with ``format_lazy`` (table headers, help texts):
    ``format_lazy(_("next {days} days"), days=LocalizedNumber(14))``.
    """

    def __init__(self, value: int | Decimal) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        from .i18n import page_is_persian

        return group_thousands(self.value, persian=page_is_persian())

    def __str__(self) -> str:
        return format(self)


def ui_number(value: int | Decimal) -> str:
    """``value`` grouped for the active language: ``۱۲٬۵۰۰`` in Persian, ``12,500`` in English."""
    return format(LocalizedNumber(value))
