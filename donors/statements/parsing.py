"""Read a bank's statement (CSV or XLSX) into credit lines, or say plainly why it cannot be read.

Banks differ in layout, so columns are found by their header (Persian or English, the first row that has a date
and an amount column: title rows above it are skipped). Dates are Jalali (``1405/09/16``) or Gregorian
(``2026-12-07``, or a spreadsheet date); amounts go through the project's one number parser (any digits,
thousands separators). Only money coming in is kept: with a credit column its empty cells are withdrawals;
with one amount column a negative amount is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.bounds import MAX_RIALS
from core.persian import NumberFormatError, normalize_text, parse_integer, to_latin_digits, ui_number
from core.spreadsheets import cell_date, read_rows

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINES = 5_000
DESCRIPTION_LENGTH = 500
REFERENCE_LENGTH = 100

# Header words of each column as banks write them (compared after normalize_text and lower()).
HEADERS = {
    "date": {"date", "تاریخ", "تاریخ تراکنش", "تاریخ سند", "value date", "booking date"},
    "credit": {"credit", "deposit", "بستانکار", "واریز", "مبلغ واریز", "مبلغ واریزی", "مبلغ بستانکار"},
    "amount": {"amount", "مبلغ", "مبلغ (ریال)", "amount (rials)"},
    "description": {"description", "details", "narrative", "شرح", "شرح تراکنش", "توضیحات", "شرح سند"},
    "reference": {
        "reference",
        "tracking number",
        "transaction id",
        "شماره پیگیری",
        "کد پیگیری",
        "شماره مرجع",
        "شماره سند",
        "پیگیری",
    },
}


@dataclass(frozen=True)
class ParsedLine:
    row_number: int  # as the spreadsheet numbers it, so the coordinator can find it
    booked_on: dt.date
    amount_rials: int
    description: str
    bank_reference: str
    fingerprint: str


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _load(content: bytes, file_name: str) -> list[list[object]]:
    return read_rows(
        content,
        file_name,
        max_bytes=MAX_FILE_BYTES,
        too_large=_("The file is larger than 2 MB; upload one month of the statement at a time."),
        unreadable=_("The file could not be read as a statement."),
    )


def _columns(header: list[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        word = normalize_text(str(cell or "")).lower()
        for column, words in HEADERS.items():
            if word in words and column not in found:
                found[column] = index
    return found


def _header(rows: list[list[object]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:20]):
        columns = _columns(row)
        if "date" in columns and ({"credit", "amount"} & columns.keys()):
            return index, columns
    raise _refuse(
        _("No header row with a date column and an amount (or credit) column was found in the first 20 rows.")
    )


def _date(value: object, row_number: int) -> dt.date:
    try:
        return cell_date(value)
    except ValueError as exc:
        text = to_latin_digits(str(value or "")).strip()
        raise _refuse(
            _("Row %(row)s: “%(value)s” is not a date.") % {"row": ui_number(row_number), "value": text[:40]}
        ) from exc


def _amount(value: object, row_number: int) -> int:
    """Rials in the cell; 0 for an empty cell; a fraction of a rial or a number out of bounds is refused."""
    if value is None or value == "":
        return 0
    if isinstance(value, float):
        if not value.is_integer():
            raise _refuse(_("Row %(row)s: an amount in rials has no fraction.") % {"row": ui_number(row_number)})
        value = int(value)
    if isinstance(value, int):
        amount = value
    else:
        try:
            amount = parse_integer(str(value))
        except NumberFormatError as exc:
            raise _refuse(
                _("Row %(row)s: “%(value)s” is not an amount in rials.")
                % {"row": ui_number(row_number), "value": str(value)[:40]}
            ) from exc
    if abs(amount) > MAX_RIALS:
        raise _refuse(
            _("Row %(row)s: the amount is larger than any payment Hamdeli records.") % {"row": ui_number(row_number)}
        )
    return amount


def _text(row: list[object], columns: dict[str, int], column: str, length: int) -> str:
    index = columns.get(column)
    if index is None or index >= len(row) or row[index] is None:
        return ""
    return normalize_text(str(row[index]))[:length]


def parse_statement(content: bytes, file_name: str) -> list[ParsedLine]:
    """The credit lines of the file, in its order; ``ValidationError`` on ``file`` naming the first bad row."""
    rows = _load(content, file_name)
    header_index, columns = _header(rows)
    lines: list[ParsedLine] = []
    seen: Counter[tuple] = Counter()
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(str(cell or "").strip() for cell in row):
            continue
        if len(lines) >= MAX_LINES:
            raise _refuse(_("The file has more than 5,000 lines; upload one month at a time."))
        cells = row + [None] * (max(columns.values()) + 1 - len(row))
        credit = _amount(cells[columns["credit"]] if "credit" in columns else cells[columns["amount"]], offset)
        if "credit" in columns and not credit and "amount" in columns:
            credit = _amount(cells[columns["amount"]], offset)
        if credit <= 0:
            continue  # a withdrawal, a fee or a balance line
        booked_on = _date(cells[columns["date"]], offset)
        description = _text(cells, columns, "description", DESCRIPTION_LENGTH)
        reference = _text(cells, columns, "reference", REFERENCE_LENGTH)
        key = (booked_on.isoformat(), credit, to_latin_digits(reference), to_latin_digits(description))
        seen[key] += 1  # the n-th identical line of a file is the same n-th line when the file comes again
        fingerprint = hashlib.sha256("|".join(map(str, (*key, seen[key]))).encode()).hexdigest()
        lines.append(ParsedLine(offset, booked_on, credit, description, reference, fingerprint))
    return lines
