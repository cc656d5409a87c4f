"""Reading a spreadsheet of severity levels (CSV or XLSX): one row per province or city, every error by its row.

Columns are found by their header, Persian or English: province (استان), city (شهر, optional), level (سطح),
in effect from (از تاریخ), note (توضیح, optional). A province is named by its code, Persian or English name; a
level by its colour in Persian or English (سفید/white, زرد/yellow, نارنجی/orange, قرمز/red); dates are Jalali or
Gregorian, in any digits.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.models import City, Province
from core.persian import normalize_text, ui_number
from core.spreadsheets import cell_date, read_rows

from .models import SeverityLevel
from .services import SeverityRow, _check_place_and_date

MAX_FILE_BYTES = 512 * 1024
MAX_ROWS = 2_000
NOTE_LENGTH = 500

HEADERS = {
    "province": {"province", "استان"},
    "city": {"city", "شهر", "شهرستان"},
    "level": {"level", "severity", "سطح", "وضعیت", "رنگ"},
    "effective_from": {"in effect from", "effective from", "date", "از تاریخ", "تاریخ"},
    "note": {"note", "توضیح", "توضیحات", "یادداشت"},
}
LEVEL_WORDS = {
    "white": SeverityLevel.WHITE,
    "سفید": SeverityLevel.WHITE,
    "yellow": SeverityLevel.YELLOW,
    "زرد": SeverityLevel.YELLOW,
    "orange": SeverityLevel.ORANGE,
    "نارنجی": SeverityLevel.ORANGE,
    "red": SeverityLevel.RED,
    "قرمز": SeverityLevel.RED,
}
# The header only: example rows would be declared by whoever adds her rows below them (the page shows an example).
TEMPLATE_CSV = "استان,شهر,سطح,از تاریخ,توضیح\n"


def _word(cell: object) -> str:
    return normalize_text(str(cell if cell is not None else "")).lower()


def _columns(header: list[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        for column, words in HEADERS.items():
            if _word(cell) in words and column not in found:
                found[column] = index
    return found


def _provinces() -> dict[str, Province]:
    found = {}
    for province in Province.objects.all():
        for name in (province.code, province.name_fa, province.name_en):
            found[_word(name)] = province
    return found


def _cities() -> dict[tuple[int, str], City]:
    found = {}
    for city in City.objects.all():
        for name in (city.name_fa, city.name_en):
            found[(city.province_id, _word(name))] = city
    return found


def parse_severity_file(content: bytes, file_name: str) -> tuple[list[SeverityRow], list[str]]:
    """The rows to declare and the errors (each naming its row); nothing is declared while there are errors."""
    rows = read_rows(
        content,
        file_name,
        max_bytes=MAX_FILE_BYTES,
        too_large=_("The file is larger than 512 KB; one row per province or city is far less."),
        unreadable=_("The file could not be read as a list of severity levels."),
    )
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    columns = _columns(rows[0])
    missing = [name for name in ("province", "level", "effective_from") if name not in columns]
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "The first row must name the columns: province, level and in effect from (استان، سطح، از تاریخ)."
                )
            }
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError({"file": _("At most 2,000 rows at a time.")})
    provinces, cities = _provinces(), _cities()
    parsed, errors = [], []
    for number, row in enumerate(rows[1:], start=2):

        def cell(column: str, row=row) -> object:
            index = columns.get(column)
            return row[index] if index is not None and index < len(row) else None

        if all(_word(value) == "" for value in row):
            continue
        label = _("Row %(row)s") % {"row": ui_number(number)}
        province = provinces.get(_word(cell("province")))
        if province is None:
            errors.append(
                _("%(row)s: no province called “%(value)s”.") % {"row": label, "value": str(cell("province"))[:60]}
            )
            continue
        city = None
        if _word(cell("city")):
            city = cities.get((province.pk, _word(cell("city"))))
            if city is None:
                errors.append(
                    _("%(row)s: no city called “%(value)s” in %(province)s.")
                    % {"row": label, "value": str(cell("city"))[:60], "province": province}
                )
                continue
        level = LEVEL_WORDS.get(_word(cell("level")))
        if level is None:
            errors.append(
                _("%(row)s: the level must be white, yellow, orange or red (سفید، زرد، نارنجی، قرمز), not “%(value)s”.")
                % {"row": label, "value": str(cell("level"))[:60]}
            )
            continue
        try:
            effective_from = cell_date(cell("effective_from"))
        except ValueError:
            errors.append(
                _("%(row)s: “%(value)s” is not a date.") % {"row": label, "value": str(cell("effective_from"))[:40]}
            )
            continue
        note = normalize_text(str(cell("note") or ""))
        if len(note) > NOTE_LENGTH:
            errors.append(_("%(row)s: the note is longer than 500 characters.") % {"row": label})
            continue
        try:
            _check_place_and_date(province, city, effective_from)
        except ValidationError as error:
            errors.extend(f"{label}: {message}" for message in error.messages)
            continue
        parsed.append(SeverityRow(number, province, city, level, effective_from, note))
    if not parsed and not errors:
        errors.append(_("The file has no rows under its header."))
    return parsed, errors
