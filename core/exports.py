"""CSV/XLSX exports that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
run as a formula by Excel and LibreOffice (CSV injection); such text gets a
leading apostrophe. Every export in the project goes through ``SafeTableExport``.

A CSV starts with a UTF-8 byte order mark: without it Excel reads the file in the
computer's ANSI code page and shows the Persian as mojibake.
"""

from __future__ import annotations

from django_tables2.export import ExportMixin, TableExport
from tablib import Dataset

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    def __init__(self, export_format, table, exclude_columns=None, dataset_kwargs=None):
        super().__init__(export_format, table, exclude_columns=exclude_columns, dataset_kwargs=dataset_kwargs)
        safe = Dataset(title=self.dataset.title)
        safe.headers = [escape_formula(header) for header in self.dataset.headers or []]
        for row in self.dataset:
            safe.append([escape_formula(cell) for cell in row])
        self.dataset = safe

    def content_type(self):
        content_type = super().content_type()
        return f"{content_type}; charset=utf-8" if self.format == "csv" else content_type

    def export(self):
        data = super().export()
        return UTF8_BOM + data if self.format == "csv" and isinstance(data, str) else data


class SafeExportMixin(ExportMixin):
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
