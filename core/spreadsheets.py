"""Reading an uploaded CSV or XLSX file into rows of cells, or saying plainly why it cannot be read.

Shared by the uploads that take a spreadsheet (bank statements, crisis severity levels): the standard csv module
and openpyxl directly, not tablib, because people's files have title rows above the header and rows of
different lengths, which tablib refuses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .jalali import JalaliDateError, parse_jalali
from .persian import to_latin_digits

# An XLSX is a zip: 2 MB of it may unpack to gigabytes of XML, which openpyxl would read whole.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def check_xlsx(content: bytes, unreadable: str) -> None:
    """Refuse what is not a zip, or one that would unpack to more than ``MAX_UNPACKED_BYTES`` (a zip bomb)."""
    if not content.startswith(b"PK"):
        raise _refuse(_("This file is not an Excel (XLSX) file."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise _refuse(unreadable) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(unreadable)


def csv_text(content: bytes) -> str:
    """UTF-8 (with or without Excel's byte order mark), else Windows-1256, the code page Persian Windows saves in."""
    if b"\x00" in content:
        raise _refuse(_("This file is not a CSV text file. Upload the template saved as CSV or XLSX."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1256")
    except UnicodeDecodeError as exc:
        raise _refuse(
            _("The CSV file's encoding could not be read; save it from Excel as “CSV UTF-8” and upload it again.")
        ) from exc


def read_rows(content: bytes, file_name: str, *, max_bytes: int, too_large: str, unreadable: str) -> list[list]:
    """The first sheet's (or the CSV's) rows; ``too_large`` and ``unreadable`` are the upload's own words."""
    if len(content) > max_bytes:
        raise _refuse(too_large)
    name = file_name.lower()
    try:
        if name.endswith(".xlsx"):
            check_xlsx(content, unreadable)
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        if name.endswith(".csv"):
            return [list(row) for row in csv.reader(io.StringIO(csv_text(content)))]
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
