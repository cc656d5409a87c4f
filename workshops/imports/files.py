"""The spreadsheet itself: the template to fill, and reading an upload into rows of text, or saying why not.

Read with tablib (CSV and XLSX). Every cell becomes text, as a person typed it: the row checks
(``rows``) parse numbers with the project's one parser, so ``۱۲`` and ``12`` are the same. A spreadsheet turns
``09121234567`` into the number 9121234567 and ``0012345678`` into 12345678; the validators put the zeros back.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.exports import UTF8_BOM
from core.persian import normalize_text, ui_number
from core.spreadsheets import check_xlsx, csv_text

from .models import ImportKind

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
FORMATS = ("xlsx", "csv")

# The headers the importer reads, in the template's order. Persian whatever the page's language: the file is
# filled in Persian, and a header is matched after normalize_text (Arabic ي/ك, extra spaces).
PROVINCE, CITY = "استان", "شهر"
WORKSHOP_COLUMNS = {
    "province": PROVINCE,
    "city": CITY,
    "name": "نام کارگاه",
    "full_name": "نام و نام خانوادگی مالک",
    "mobile": "موبایل مالک",
    "national_id": "کد ملی مالک",
    "address": "نشانی",
    "sheba": "شماره شبا",
    "sewing_machines": "تعداد چرخ خیاطی",
    "workers": "تعداد نیروی کار",
}
CAPACITY_PREFIX = "ظرفیت روزانه: "  # followed by the product's Persian name, one column per active product
HEALTH_CENTER_COLUMNS = {
    "province": PROVINCE,
    "city": CITY,
    "name": "نام مرکز",
    "kind": "نوع مرکز",
    "address": "نشانی",
    "phone": "تلفن",
    "contact_person": "نام رابط",
}
WORKSHOP_EXAMPLE = {
    "province": "تهران",
    "city": "تهران",
    "name": "خیاطی نمونه",
    "full_name": "مریم کریمی",
    "mobile": "۰۹۱۲۳۴۵۶۷۸۹",
    "national_id": "۱۲۳۴۵۶۷۸۹۱",
    "address": "تهران، خیابان آزادی، کوچه ۱۲",
    "sheba": "IR820540102680020817909002",
    "sewing_machines": "۳",
    "workers": "۲",
}
HEALTH_CENTER_EXAMPLE = {
    "province": "تهران",
    "city": "تهران",
    "name": "بیمارستان نمونه",
    "kind": "بیمارستان",
    "address": "تهران، خیابان انقلاب",
    "phone": "۰۲۱۶۶۰۰۰۰۰۰",
    "contact_person": "دکتر نمونه",
}


@dataclass(frozen=True)
class Sheet:
    headers: list[str]  # normalised
    rows: list[tuple[int, dict[str, str]]]  # (row number as the spreadsheet shows it, header -> cell text)


def capacity_header(product_name_fa: str) -> str:
    return CAPACITY_PREFIX + product_name_fa


def template_headers(kind: str, product_names: list[str]) -> list[str]:
    if kind == ImportKind.WORKSHOPS:
        return [*WORKSHOP_COLUMNS.values(), *(capacity_header(name) for name in product_names)]
    return list(HEALTH_CENTER_COLUMNS.values())


def template_file(kind: str, file_format: str, product_names: list[str]) -> bytes:
    """The empty template with one example row, as XLSX or as a UTF-8 CSV with a byte order mark (for Excel)."""
    data = tablib.Dataset(title="hamdeli")
    data.headers = template_headers(kind, product_names)
    if kind == ImportKind.WORKSHOPS:
        data.append([*WORKSHOP_EXAMPLE.values(), *("۲۰۰" if i == 0 else "" for i in range(len(product_names)))])
    else:
        data.append(list(HEALTH_CENTER_EXAMPLE.values()))
    if file_format == "csv":
        return (UTF8_BOM + data.export("csv")).encode("utf-8")
    return data.export("xlsx")


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _cell(value: object) -> str:
    """A cell as text: whole numbers without ``.0`` (a spreadsheet stores 3 as 3.0), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def read_sheet(content: bytes, file_name: str) -> Sheet:
    """The rows of the upload under its header row; ``ValidationError`` on ``file`` saying why it cannot be read."""
    if len(content) > MAX_FILE_BYTES:
        raise _refuse(_("The file is larger than 2 MB; split it into smaller files."))
    name = (file_name or "").lower()
    data = tablib.Dataset()
    try:
        if name.endswith(".xlsx"):
            check_xlsx(content, _("The file could not be read as a spreadsheet."))
            data.load(io.BytesIO(content), format="xlsx")
        elif name.endswith(".csv"):
            data.load(csv_text(content), format="csv")
        else:
            raise _refuse(_("Upload the template as a CSV or XLSX file; other kinds of file are not read."))
    except ValidationError:
        raise
    except tablib.InvalidDimensions as exc:
        raise _refuse(_("Some rows have more cells than the header row; use the template's columns.")) from exc
    except Exception as exc:  # openpyxl, zipfile and csv raise many kinds for a broken file
        raise _refuse(_("The file could not be read as a spreadsheet.")) from exc
    headers = [normalize_text(_cell(header)) for header in data.headers or []]
    if not any(headers):
        raise _refuse(_("The file is empty; its first row must be the template's header row."))
    rows = []
    for number, row in enumerate(data, start=2):
        cells = [_cell(value) for value in row]
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise _refuse(
                _("The file has more than %(count)s rows; split it into smaller files.")
                % {"count": ui_number(MAX_ROWS)}
            )
        rows.append((number, dict(zip(headers, cells, strict=False))))
    if not rows:
        raise _refuse(_("The file has no rows under its header row."))
    return Sheet(headers=headers, rows=rows)


def missing_headers(sheet: Sheet, required: list[str]) -> list[str]:
    return [header for header in required if header not in sheet.headers]
