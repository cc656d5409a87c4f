from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.forms import LocalizedIntegerField, MobileNumberField, PersianCharField
from core.persian import group_thousands, normalize_text, strip_thousands, to_latin_digits, to_persian_digits
from core.validators import normalize_mobile


def test_persian_and_arabic_indic_digits_become_latin():
    assert to_latin_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_latin_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_latin_digits("ORD-۱۴۰۵-٠٠٠١٢٣") == "ORD-1405-000123"


def test_latin_digits_are_shown_as_persian():
    assert to_persian_digits("1405/09/07") == "۱۴۰۵/۰۹/۰۷"
    assert to_persian_digits(12) == "۱۲"


def test_arabic_yeh_and_kaf_are_stored_as_persian_letters():
    assert normalize_text("كارگاه علي") == "کارگاه علی"
    assert normalize_text("  مریم   کریمی ") == "مریم کریمی"


@pytest.mark.parametrize(
    "typed",
    ["۵۰٬۰۰۰٬۰۰۰", "50,000,000", "٥٠،٠٠٠،٠٠٠", "50 000 000", "۵۰۰۰۰۰۰۰"],
)
def test_amounts_with_any_digits_and_separators_are_read_as_one_number(typed):
    assert strip_thousands(typed) == "50000000"
    assert LocalizedIntegerField().clean(typed) == 50_000_000


def test_integer_field_rejects_text_that_is_not_a_number():
    with translation.override("en"), pytest.raises(ValidationError, match="whole number"):
        LocalizedIntegerField().clean("۱۲الف")


def test_numbers_are_grouped_with_persian_separator_in_persian():
    assert group_thousands(1234567, persian=True) == "۱٬۲۳۴٬۵۶۷"
    assert group_thousands(1234567, persian=False) == "1,234,567"


@pytest.mark.parametrize(
    "typed",
    ["09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "+98 912 123 4567", "0098-912-123-4567", "9121234567"],
)
def test_mobile_numbers_typed_any_way_are_stored_as_09_form(typed):
    assert normalize_mobile(typed) == "09121234567"
    assert MobileNumberField().clean(typed) == "09121234567"


@pytest.mark.parametrize("typed", ["0912123456", "08121234567", "۰۹۱۲۱۲۳۴۵۶۷۸", "abc"])
def test_malformed_mobile_numbers_are_refused_with_an_example(typed):
    field = MobileNumberField()
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            field.clean(typed)
        assert "starting with 09, e.g. 09121234567" in str(excinfo.value)


def test_name_fields_normalise_arabic_letters():
    assert PersianCharField().clean("ياسمن كاظمي") == "یاسمن کاظمی"


@pytest.mark.parametrize("typed", ["۱٫۵", "1.5", "١٫٥", "۱/۵"])
def test_decimal_inputs_accept_persian_digits_and_decimal_mark(typed):
    from decimal import Decimal

    from core.forms import LocalizedDecimalField

    assert LocalizedDecimalField(max_digits=6, decimal_places=2).clean(typed) == Decimal("1.5")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(80.0, "۸۰"), (12.5, "۱۲٫۵"), (1234.567, "۱٬۲۳۴٫۵۷"), (Decimal("8E+1"), "۸۰"), (Decimal("1.50"), "۱٫۵")],
)
def test_fractional_numbers_are_shown_without_exponents_or_trailing_zeros(value, shown):
    assert group_thousands(value, persian=True) == shown
