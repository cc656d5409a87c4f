"""Message texts are always Persian, whatever language the request (or test) that triggers them has active.

``translation.override("fa")`` is not used on purpose: leaving it restores a
*real* Persian catalogue where Django had "no translation" active, changing the
language of the caller's later messages. These helpers read the Persian
catalogue directly and activate nothing. Import ``persian_gettext as _`` so
``makemessages`` extracts the msgids.
"""

from __future__ import annotations

import datetime as dt

from .. import jalali
from ..library_seams import catalogue_gettext
from ..persian import group_thousands


def persian_gettext(message: str) -> str:
    return catalogue_gettext("fa", message)


def persian_number(value: int) -> str:
    """``۱۲٬۵۰۰``."""
    return group_thousands(value, persian=True)


def persian_date(day: dt.date) -> str:
    """``۱۴۰۵/۰۹/۰۷``."""
    return jalali.format_short(day, persian=True)
