from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import JALALI_DATE_HELP, JalaliDateField
from core.models import City, Province

from .models import SeverityLevel


class SeverityDeclareForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.order_by("name_fa"))
    city = forms.ModelChoiceField(
        label=_("City (leave empty for the whole province)"),
        queryset=City.objects.select_related("province").order_by("province__name_fa", "name_fa"),
        required=False,
    )
    level = forms.TypedChoiceField(label=_("Level"), choices=SeverityLevel.choices, coerce=int)
    effective_from = JalaliDateField(label=_("In effect from"), help_text=JALALI_DATE_HELP)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SeverityImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))
