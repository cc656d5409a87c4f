"""Forms of the workshop owner's quota pages: decline, daily output report, same-day correction.

The forms only parse what was typed (Persian digits, Jalali dates); the rules
(at least one unit, not in the future, at most the quota plus 5%) live in
``production.services.quotas`` and their messages are attached to these fields by the views.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_UNITS
from core.forms import JalaliDateField, LocalizedIntegerField, PersianCharField


class QuotaDeclineForm(forms.Form):
    reason = PersianCharField(
        label=_("Why do you decline?"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a machine is broken, or we are busy with another order until next week."),
        error_messages={"required": _("Please say why you decline, so the coordinator can plan.")},
    )


class OutputReportForm(forms.Form):
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
    idempotency_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form is out of date. Please check the numbers and send it again."),
            "invalid": _("This form is out of date. Please check the numbers and send it again."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A fresh key each time an empty form is shown; a re-rendered (bound) form keeps the one it was sent with.
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def renew_key_if_invalid(self) -> None:
        """After a missing or tampered key, the re-rendered form carries a new one so the next send can work."""
        if self.is_bound and "idempotency_key" in self.errors:
            data = self.data.copy()
            data[self.add_prefix("idempotency_key")] = str(uuid.uuid4())
            self.data = data


class OutputCorrectForm(forms.Form):
    """Same-day correction of one report (quantity and note)."""

    quantity = LocalizedIntegerField(
        max_value=MAX_UNITS,
        label=_("Correct number of units"),
        error_messages={"required": _("Enter the number of units made: at least 1.")},
    )
    note = PersianCharField(label=_("Note (optional)"), max_length=300, required=False)
