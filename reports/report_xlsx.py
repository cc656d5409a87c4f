"""The thematic report as a workbook: one sheet per table (plus the paragraph), ready for the ministry's analysts.

Text cells go through ``core.exports.escape_formula`` (a workshop called
``=HYPERLINK(...)`` must stay text); numbers stay numbers, formatted with
thousands separators, and percentages are stored as fractions with a ``%``
format so they can be summed and charted. Persian workbooks read right-to-left.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.exports import escape_formula

from .thematic_tables import PERCENT, RIALS, UNITS, Table, cell_kind

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")
TITLE_FONT = Font(bold=True, size=13)
NUMBER_FORMATS = {UNITS: "#,##0", RIALS: "#,##0", PERCENT: "0%"}
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_name(name: str) -> str:
    return name.translate(SHEET_NAME_FORBIDDEN).strip()[:31] or "Sheet"


def _write_value(ws: Worksheet, row: int, column: int, value, kind: str) -> None:
    cell = ws.cell(row=row, column=column)
    if value is None:
        cell.value = "—"
        cell.alignment = Alignment(horizontal="center")
    elif kind == PERCENT:
        cell.value = value / 100
        cell.number_format = NUMBER_FORMATS[PERCENT]
    elif kind in NUMBER_FORMATS and isinstance(value, int):
        cell.value = value
        cell.number_format = NUMBER_FORMATS[kind]
    else:
        cell.value = escape_formula(str(value))


def _write_table(ws: Worksheet, table: Table, first_row: int) -> int:
    """Write the table's title, header and rows from ``first_row``; return the next free row."""
    ws.cell(row=first_row, column=1, value=escape_formula(table.title)).font = TITLE_FONT
    header_row = first_row + 1
    for number, column in enumerate(table.columns, start=1):
        cell = ws.cell(row=header_row, column=number, value=escape_formula(column.label))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    row_number = header_row
    for row_number, row in enumerate(table.rows, start=header_row + 1):
        for number, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
            value, kind = cell_kind(value, column)
            _write_value(ws, row_number, number, value, kind)
    if not table.rows:
        row_number += 1
        ws.cell(row=row_number, column=1, value=escape_formula(table.empty_message))
    if table.note:
        row_number += 1
        ws.cell(row=row_number, column=1, value=escape_formula(table.note)).font = Font(italic=True, color="555555")
    return row_number + 2


def _fit_columns(ws: Worksheet) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=2):  # the title row may be long; it is allowed to overflow
        for cell in row:
            if cell.value is not None:
                length = len(str(cell.value)) + (4 if isinstance(cell.value, int) else 0)
                widths[cell.column] = max(widths.get(cell.column, 8), min(length + 2, 50))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def thematic_xlsx(
    tables: list[Table], *, narrative: str, narrative_sheet: str, meta: list[tuple[str, str]], rtl: bool
) -> bytes:
    """The workbook's bytes. ``meta``: (label, value) lines above the summary (title, province, period, author)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets: dict[str, tuple[Worksheet, int]] = {}
    for table in tables:
        name = _sheet_name(table.sheet)
        if name not in sheets:
            ws = workbook.create_sheet(name)
            ws.sheet_view.rightToLeft = rtl
            first_row = 1
            if not sheets:  # the first sheet opens with what the report is
                for label, value in meta:
                    ws.cell(row=first_row, column=1, value=escape_formula(label)).font = Font(bold=True)
                    ws.cell(row=first_row, column=2, value=escape_formula(value))
                    first_row += 1
                first_row += 1
            sheets[name] = (ws, first_row)
        ws, next_row = sheets[name]
        sheets[name] = (ws, _write_table(ws, table, next_row))
    for ws, _row in sheets.values():
        _fit_columns(ws)
    ws = workbook.create_sheet(_sheet_name(narrative_sheet))
    ws.sheet_view.rightToLeft = rtl
    ws.column_dimensions["A"].width = 100
    cell = ws.cell(row=1, column=1, value=escape_formula(narrative))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 15 * (len(narrative) // 90 + 2)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
