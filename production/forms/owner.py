"""Forms of the workshop owner's quota pages: decline, daily output report, same-day correction.

The forms only parse what was typed (Persian digits, Jalali dates); the rules
(at least one unit, not in the future, at most the quota plus 5%) live in
``production.services.quotas`` and their messages are attached to these fields by the views.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_UNITS
from core.forms import (
    IdempotencyKeyMixin,
    JalaliDateField,
    LocalizedIntegerField,
    PersianCharField,
    idempotency_key_field,
)


class QuotaDeclineForm(forms.Form):
    reason = PersianCharField(
        label=_("Why do you decline?"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a machine is broken, or we are busy with another order until next week."),
        error_messages={"required": _("Please say why you decline, so the coordinator can plan.")},
    )


class OutputReportForm(IdempotencyKeyMixin, forms.Form):
    """Units made on one day. ``idempotency_key`` makes a double-submitted form count once."""

    quantity = LocalizedIntegerField(
        max_value=MAX_UNITS,
        label=_("Units made"),
        error_messages={"required": _("Enter the number of units made: at least 1.")},
    )
    report_date = JalaliDateField(
        label=_("Day"),
        required=False,
        initial=timezone.localdate,
        help_text=_("Today unless you are reporting for an earlier day."),
    )
    note = PersianCharField(label=_("Note (optional)"), max_length=300, required=False)
    idempotency_key = idempotency_key_field()


class OutputCorrectForm(forms.Form):
    """Same-day correction of one report (quantity and note)."""

    quantity = LocalizedIntegerField(
        max_value=MAX_UNITS,
        label=_("Correct number of units"),
        error_messages={"required": _("Enter the number of units made: at least 1.")},
    )
    note = PersianCharField(label=_("Note (optional)"), max_length=300, required=False)
