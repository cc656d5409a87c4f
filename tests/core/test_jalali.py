import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from core import jalali
from core.forms import JalaliDateField


def test_gregorian_date_is_shown_as_short_and_long_jalali():
    day = dt.date(2026, 11, 28)
    assert jalali.format_short(day) == "۱۴۰۵/۰۹/۰۷"
    assert jalali.format_long(day) == "۷ آذر ۱۴۰۵"
    assert jalali.format_long(day, persian=False) == "7 Azar 1405"


def test_leap_esfand_30_of_1403_round_trips():
    gregorian = jalali.from_jalali(1403, 12, 30)
    assert gregorian == dt.date(2025, 3, 20)
    assert jalali.format_short(gregorian, persian=False) == "1403/12/30"
    assert jalali.parse_jalali("۱۴۰۳/۱۲/۳۰") == gregorian


def test_esfand_30_of_a_common_year_is_refused():
    with pytest.raises(jalali.JalaliDateError):
        jalali.parse_jalali("1404/12/30")


@pytest.mark.parametrize("year", [1399, 1403, 1408])
def test_every_day_of_leap_years_round_trips(year):
    start = jalali.from_jalali(year, 1, 1)
    end = jalali.from_jalali(year + 1, 1, 1)
    assert (end - start).days == 366
    day = start
    while day < end:
        assert jalali.parse_jalali(jalali.format_short(day)) == day
        day += dt.timedelta(days=1)


def test_nowruz_is_the_first_of_farvardin():
    assert jalali.parse_jalali("1405/1/1") == dt.date(2026, 3, 21)


@pytest.mark.parametrize("typed", ["1405/09/07", "۱۴۰۵/۰۹/۰۷", "١٤٠٥-٩-٧", " 1405.9.7 "])
def test_jalali_form_field_accepts_any_digits_and_separators(typed):
    assert JalaliDateField().clean(typed) == dt.date(2026, 11, 28)


@pytest.mark.parametrize("typed", ["1405/13/01", "1405/07/31", "28/11/2026", "فردا"])
def test_jalali_form_field_refuses_impossible_dates_with_a_hint(typed):
    with translation.override("en"), pytest.raises(ValidationError, match=r"e\.g\. 1405/09/07"):
        JalaliDateField().clean(typed)


def test_jalali_form_field_shows_a_stored_date_in_jalali():
    with translation.override("fa"):
        html = JalaliDateField().widget.render("needed_by", dt.date(2026, 11, 28))
    assert 'value="۱۴۰۵/۰۹/۰۷"' in html
    assert 'inputmode="numeric"' in html


def test_template_filters_show_jalali_and_persian_numbers():
    template = Template("{{ day|jalali }} | {{ day|jalali_long }} | {{ amount|num }}")
    context = Context({"day": dt.date(2026, 11, 28), "amount": 50000000})
    with translation.override("fa"):
        assert template.render(context) == "۱۴۰۵/۰۹/۰۷ | ۷ آذر ۱۴۰۵ | ۵۰٬۰۰۰٬۰۰۰"
    with translation.override("en"):
        assert template.render(context) == "1405/09/07 | 7 Azar 1405 | 50,000,000"


def test_datetime_filter_uses_tehran_time():
    moment = dt.datetime(2026, 11, 28, 21, 0, tzinfo=dt.UTC)  # 00:30 next day in Tehran (UTC+3:30)
    with translation.override("en"):
        assert Template("{{ t|jalali_datetime }}").render(Context({"t": moment})) == "1405/09/08 00:30"
