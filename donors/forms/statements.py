"""The statement upload form: the file's kind and size are checked here, its content by the parser."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..statements.parsing import MAX_FILE_BYTES


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement (CSV or XLSX)"),
        help_text=_(
            "Columns are found by their headers: date (تاریخ), amount or credit (مبلغ / بستانکار), description "
            "(شرح) and the bank's reference (شماره پیگیری). Jalali or Gregorian dates; at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; upload one month of the statement at a time."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload the statement as a CSV or XLSX file."))
        return upload
