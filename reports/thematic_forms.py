"""The request form of a thematic report: one of the coordinator's provinces (or all), a Jalali period, a language."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import JalaliDateField
from core.models import Province

from .models import ThematicReportLanguage
from .selectors import provinces_for

# A report is a periodic summary; a longer span would be one very long PDF nobody reads.
MAX_PERIOD_DAYS = 366


class ThematicReportForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False, empty_label=_("All my provinces")
    )
    period_start = JalaliDateField(label=_("From"))
    period_end = JalaliDateField(label=_("To"))
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=ThematicReportLanguage.choices,
        initial=ThematicReportLanguage.PERSIAN,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces_for(user)
        today = timezone.localdate()
        self.fields["period_start"].initial = today - dt.timedelta(days=29)
        self.fields["period_end"].initial = today
        self.fields["period_start"].widget.attrs["placeholder"] = "۱۴۰۵/۰۹/۰۱"
        self.fields["period_end"].widget.attrs["placeholder"] = "۱۴۰۵/۰۹/۳۰"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            if start > end:
                self.add_error("period_end", _("The end of the period cannot be before its start."))
            elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error("period_end", _("A report covers at most one year."))
        return cleaned
