import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from core.exports import escape_formula

from .. import factories


@pytest.mark.parametrize("dangerous", ["=1+1", "+98", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_spreadsheets_would_run_as_formulas_are_escaped(dangerous):
    assert escape_formula(dangerous) == "'" + dangerous


def test_ordinary_text_and_numbers_are_left_alone():
    assert escape_formula("بیمارستان") == "بیمارستان"
    assert escape_formula(-5) == -5


def test_health_center_csv_export_contains_filtered_rows_with_formulas_escaped(client_for, coordinator):
    factories.HealthCenterFactory(name='=HYPERLINK("http://evil")', contact_person="@admin")
    factories.HealthCenterFactory(name="بیمارستان اصفهان", province=factories.province("isfahan"))
    response = client_for(coordinator).get(reverse("core:healthcenter-list"), {"_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2  # header + the one Tehran center
    assert rows[1][0].startswith("'=HYPERLINK")
    assert "'@admin" in rows[1]
    assert not any("اصفهان" in cell for row in rows for cell in row)


def test_health_center_xlsx_export_opens_in_a_spreadsheet(client_for, coordinator):
    factories.HealthCenterFactory(name="-سه")
    response = client_for(coordinator).get(reverse("core:healthcenter-list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == "'-سه"


@pytest.mark.parametrize("url_name", ["core:healthcenter-list", "orders:list"])
def test_csv_exports_start_with_a_utf8_bom_so_excel_shows_the_persian(client_for, coordinator, url_name):
    factories.HealthCenterFactory(name="بیمارستان امام")
    response = client_for(coordinator).get(reverse(url_name), {"_export": "csv"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())  # Excel reads a CSV without it as ANSI: mojibake
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert not header[0].startswith("\ufeff")
    assert "charset=utf-8" in response["Content-Type"].lower()
