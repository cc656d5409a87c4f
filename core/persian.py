"""Persian text and digit helpers.

People type on Persian keyboards (۰-۹), Arabic keyboards (٠-٩) and Latin ones,
and Arabic keyboards produce ي/ك where Persian uses ی/ک. Everything that goes
into the database is normalised here first so that searches and unique checks
see one spelling.
"""

from __future__ import annotations

from decimal import Decimal

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

_TO_LATIN = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, LATIN_DIGITS * 2)
_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه"})

# Characters people use between thousands: Arabic thousands separator, comma,
# Arabic comma, apostrophe-like marks and (narrow) spaces.
THOUSANDS_SEPARATORS = "٬,،'’ \u00a0\u202f\u066b"
PERSIAN_THOUSANDS_SEPARATOR = "٬"


def to_latin_digits(value: str) -> str:
    """Replace Persian and Arabic-Indic digits with ASCII digits."""
    return value.translate(_TO_LATIN)


def to_persian_digits(value: object) -> str:
    """Replace ASCII and Arabic-Indic digits with Persian digits."""
    return str(value).translate(_TO_PERSIAN)


def normalize_text(value: str) -> str:
    """Canonical Persian spelling: ی/ک for Arabic ي/ك, trimmed, single spaces."""
    return " ".join(value.translate(_ARABIC_LETTERS).split())


def strip_thousands(value: str) -> str:
    """Digits in Latin form with any thousands separators removed (``۵۰٬۰۰۰`` -> ``50000``)."""
    latin = to_latin_digits(value.strip())
    return "".join(ch for ch in latin if ch not in THOUSANDS_SEPARATORS)


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
        from django.utils.translation import get_language

        return group_thousands(self.value, persian=not (get_language() or "fa").startswith("en"))

    def __str__(self) -> str:
        return format(self)


def ui_number(value: int | Decimal) -> str:
    """``value`` grouped for the active language: ``۱۲٬۵۰۰`` in Persian, ``12,500`` in English."""
    return format(LocalizedNumber(value))
