"""Reading an uploaded CSV or XLSX file into rows of cells, or saying plainly why it cannot be read.

Shared by the uploads that take a spreadsheet (bank statements, crisis severity levels): the standard csv module
and openpyxl directly, not tablib, because people's files have title rows above the header and rows of
different lengths, which tablib refuses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .jalali import JalaliDateError, parse_jalali
from .persian import to_latin_digits


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def read_rows(content: bytes, file_name: str, *, max_bytes: int, too_large: str, unreadable: str) -> list[list]:
    """The first sheet's (or the CSV's) rows; ``too_large`` and ``unreadable`` are the upload's own words."""
    if len(content) > max_bytes:
        raise _refuse(too_large)
    name = file_name.lower()
    try:
        if name.endswith(".xlsx"):
            if not content.startswith(b"PK"):
                raise _refuse(_("This file is not an Excel (XLSX) file."))
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        if name.endswith(".csv"):
            return [list(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))]
    except UnicodeDecodeError as exc:
        raise _refuse(_("The CSV file is not in UTF-8; save it from Excel as “CSV UTF-8”.")) from exc
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds for a broken file
        raise _refuse(unreadable) from exc
    raise _refuse(_("Upload the file as CSV or XLSX."))


def cell_date(value: object) -> dt.date:
    """A date cell: a spreadsheet date, Jalali (``1405/09/16``, any digits) or Gregorian (``2026-12-07``).

    Raises ``ValueError`` for anything else; the caller names the row.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = to_latin_digits(str(value or "")).strip().split(" ")[0]
    try:
        if text[:2] in ("13", "14"):
            return parse_jalali(text)
        return dt.date.fromisoformat(text.replace("/", "-"))
    except JalaliDateError as exc:
        raise ValueError(text) from exc
