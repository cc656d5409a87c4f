"""Forms of the payout pages: a new batch (Jalali period, default last month), marking it paid, cancelling it.

The forms only read what was typed (Persian digits, Jalali dates); the rules
are checked by ``payouts.services``, whose errors the views show by the field.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import bank_reference_field, jalali_date_field, required_reason_field
from core.jalali import from_jalali, to_jalali
from core.models import Province
from core.scoping import scope_by_province


def last_jalali_month(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of the Jalali month before ``today``'s (payouts are usually made monthly, in arrears)."""
    today = today or timezone.localdate()
    j = to_jalali(today)
    month_start = from_jalali(j.year, j.month, 1)
    last_day = month_start - dt.timedelta(days=1)
    previous = to_jalali(last_day)
    return from_jalali(previous.year, previous.month, 1), last_day


class PayoutBatchForm(forms.Form):
    period_start = jalali_date_field(_("Period from"), _("Enter the first day of the period."))
    period_end = jalali_date_field(
        _("Period until"),
        _("Enter the last day of the period."),
        help_text=_("Units accepted at pickups up to this day, and not yet paid, are included."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("All my provinces"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = last_jalali_month()
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = end
        self.fields["province"].queryset = scope_by_province(Province.objects.all(), user, field="pk")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return cleaned

    def service_kwargs(self) -> dict:
        province = self.cleaned_data.get("province")
        return {
            "period_start": self.cleaned_data["period_start"],
            "period_end": self.cleaned_data["period_end"],
            "provinces": [province] if province else None,
        }


class MarkPaidForm(forms.Form):
    bank_reference = bank_reference_field()
    paid_on = jalali_date_field(_("Date paid"), _("Enter the date the bank paid."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate


class CancelBatchForm(forms.Form):
    reason = required_reason_field()
