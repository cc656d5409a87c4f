"""Django's password rules, with their numbers written in the page's digits.

Django's ``MinimumLengthValidator`` formats the length with ``%d``, so the
Persian site said «۸» as "8". Ours formats it with ``ui_number``: ``۸`` in
Persian, ``8`` in English.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext

from .persian import ui_number


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """At least ``min_length`` characters (8 by default), said with the UI's digits."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)s character.",
            "This password is too short. It must contain at least %(min_length)s characters.",
            self.min_length,
        ) % {"min_length": ui_number(self.min_length)}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(min_length)s character.",
            "Your password must contain at least %(min_length)s characters.",
            self.min_length,
        ) % {"min_length": ui_number(self.min_length)}
