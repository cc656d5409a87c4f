"""One reader for uploaded spreadsheets (bank statements, crisis levels, the directory import's file checks)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from core.spreadsheets import MAX_UNPACKED_BYTES, read_rows

LIMITS = {"max_bytes": 2 * 1024 * 1024, "too_large": "too large", "unreadable": "unreadable"}


def test_a_csv_saved_by_persian_windows_in_its_code_page_is_read():
    content = "استان,سطح\nتهران,قرمز\n".encode("cp1256")  # no ی or ک here: cp1256 has only the Arabic forms
    assert read_rows(content, "levels.csv", **LIMITS) == [["استان", "سطح"], ["تهران", "قرمز"]]


def test_a_csv_with_excels_byte_order_mark_is_read_without_it():
    assert read_rows("\ufeffاستان\nتهران\n".encode(), "levels.csv", **LIMITS)[0] == ["استان"]


def test_an_xlsx_that_would_unpack_to_more_than_fifty_megabytes_is_refused_before_it_is_read():
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (MAX_UNPACKED_BYTES + 1))
    content = packed.getvalue()
    assert len(content) < 2 * 1024 * 1024  # small on the wire
    with pytest.raises(ValidationError) as refused:
        read_rows(content, "bomb.xlsx", **LIMITS)
    assert refused.value.message_dict == {"file": ["unreadable"]}


def test_a_binary_file_named_csv_is_refused_with_a_sentence():
    with pytest.raises(ValidationError) as refused:
        read_rows(b"\x00\x01PK", "levels.csv", **LIMITS)
    assert "CSV" in refused.value.message_dict["file"][0]
