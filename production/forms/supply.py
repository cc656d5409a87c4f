"""Forms of the coordinator's workshop page: a status change with its reason, a note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PersianCharField
from workshops.models import WorkshopStatus

# The actions a coordinator takes on a workshop, by the status they lead to and the status they start from.
STATUS_ACTIONS = {
    "verify": {"to": WorkshopStatus.VERIFIED, "from": WorkshopStatus.PENDING, "label": _("Verify")},
    "suspend": {"to": WorkshopStatus.SUSPENDED, "from": None, "label": _("Suspend")},
    "reactivate": {"to": WorkshopStatus.VERIFIED, "from": WorkshopStatus.SUSPENDED, "label": _("Reactivate")},
}


class StatusChangeForm(forms.Form):
    """The reason is checked by ``workshops.services.workshop_set_status`` (required to suspend or reactivate)."""

    reason = PersianCharField(
        label=_("Reason"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The owner sees it."),
    )


class NoteForm(forms.Form):
    text = PersianCharField(
        label=_("New note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note first.")},
    )
