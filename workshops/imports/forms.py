"""The upload form, and one form per spreadsheet row: a row is checked by the same fields as the sign-up.

The row forms' labels are the template's column headers, so an error reads "<column>: <what is wrong>".
Numbers go through ``LocalizedIntegerField`` (Persian and Arabic digits), identifiers through the national-ID,
Sheba and mobile fields of ``core.forms`` and text through ``PersianCharField`` (direction controls dropped,
lengths bounded by the model's).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_DAILY_UNITS, MAX_PEOPLE_OR_MACHINES
from core.forms import (
    LocalizedIntegerField,
    MobileNumberField,
    NationalIdField,
    PersianCharField,
    PlainTextField,
    ShebaField,
)

from .files import FORMATS, HEALTH_CENTER_COLUMNS, MAX_FILE_BYTES, WORKSHOP_COLUMNS, capacity_header
from .models import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file lists"), choices=ImportKind.choices, widget=forms.RadioSelect, initial="workshops"
    )
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_("The template's columns, one workshop or health center per row; at most 2 MB and 5,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; split it into smaller files."))
        if not upload.name.lower().endswith(tuple(f".{extension}" for extension in FORMATS)):
            raise forms.ValidationError(
                _("Upload the template as a CSV or XLSX file; other kinds of file are not read.")
            )
        return upload


class ConfirmForm(forms.Form):
    """The fingerprint of the file the preview showed: the confirmation imports that file and no other."""

    sha256 = PlainTextField(max_length=64, min_length=64)


def _text(column: str, max_length: int, *, required: bool = True) -> PersianCharField:
    return PersianCharField(label=column, max_length=max_length, required=required)


class _RowForm(forms.Form):
    province = _text(WORKSHOP_COLUMNS["province"], 80)
    city = _text(WORKSHOP_COLUMNS["city"], 80)

    def row_errors(self) -> list[str]:
        return [
            f"{self.fields[name].label}: {message}" if name in self.fields else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]


class WorkshopRowForm(_RowForm):
    """One workshop row; its capacity columns are added per active product."""

    name = _text(WORKSHOP_COLUMNS["name"], 150)
    full_name = _text(WORKSHOP_COLUMNS["full_name"], 150)
    mobile = MobileNumberField(label=WORKSHOP_COLUMNS["mobile"])
    national_id = NationalIdField(label=WORKSHOP_COLUMNS["national_id"])
    address = _text(WORKSHOP_COLUMNS["address"], 400)
    sheba = ShebaField(label=WORKSHOP_COLUMNS["sheba"], required=False)
    sewing_machines = LocalizedIntegerField(
        label=WORKSHOP_COLUMNS["sewing_machines"], min_value=0, max_value=MAX_PEOPLE_OR_MACHINES
    )
    workers = LocalizedIntegerField(label=WORKSHOP_COLUMNS["workers"], min_value=1, max_value=MAX_PEOPLE_OR_MACHINES)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for product in self.products:
            self.fields[self.capacity_field(product)] = LocalizedIntegerField(
                label=capacity_header(product.name_fa), required=False, min_value=0, max_value=MAX_DAILY_UNITS
            )

    @staticmethod
    def capacity_field(product) -> str:
        return f"capacity_{product.pk}"

    def capacities(self) -> list[tuple[int, int]]:
        """``(product pk, units per day)`` for the products with a capacity above zero."""
        return [
            (product.pk, self.cleaned_data[self.capacity_field(product)])
            for product in self.products
            if self.cleaned_data.get(self.capacity_field(product))
        ]


class HealthCenterRowForm(_RowForm):
    name = _text(HEALTH_CENTER_COLUMNS["name"], 200)
    kind = _text(HEALTH_CENTER_COLUMNS["kind"], 40)
    address = _text(HEALTH_CENTER_COLUMNS["address"], 400)
    phone = PlainTextField(label=HEALTH_CENTER_COLUMNS["phone"], max_length=20)
    contact_person = _text(HEALTH_CENTER_COLUMNS["contact_person"], 120)


def row_form_data(columns: dict[str, str], cells: dict[str, str], extra: dict[str, str] | None = None) -> dict:
    """The form's data from a row's cells (header -> text), by the column each field reads."""
    data = {field: cells.get(header, "") for field, header in columns.items()}
    return data | (extra or {})
