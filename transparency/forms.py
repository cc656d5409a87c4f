"""The coordinator's form to issue an API token."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PersianCharField

from .models import NAME_MAX_LENGTH


class ApiTokenForm(forms.Form):
    name = PersianCharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What the key is for, so you know which one to revoke: e.g. the province office's spreadsheet."),
    )
    # The same form sent twice (a double click) issues one token.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_key", uuid.uuid4())
