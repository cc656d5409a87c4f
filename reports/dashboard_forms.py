"""The dashboard's filter: one of the coordinator's provinces, and a Jalali period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import JalaliDateField
from core.models import Province

from .periods import DashboardPeriod
from .selectors import provinces_for


class DashboardFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False, empty_label=_("All my provinces")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces_for(user)
        # "from" is a Python keyword, so these two are added by name.
        self.fields["from"] = JalaliDateField(label=_("From"), required=False)
        self.fields["to"] = JalaliDateField(label=_("To"), required=False)
        self.fields["from"].widget.attrs["placeholder"] = "۱۴۰۵/۰۸/۰۱"
        self.fields["to"].widget.attrs["placeholder"] = "۱۴۰۵/۰۸/۳۰"

    def choices(self) -> tuple[Province | None, DashboardPeriod]:
        """The chosen province and period; a field with an error counts as not chosen."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("province"), DashboardPeriod.between(data.get("from"), data.get("to"))
