"""Which language the page being made is in: one rule for every page, table, PDF and message."""

from django.utils.translation import get_language


def page_is_persian() -> bool:
    """Whether the page (or sheet, report, message) being made is Persian: Persian digits, Jalali month names.

    Persian is the site's language, so everything but English counts as Persian, and so does
    "no language active" (``deactivate_all``, as in some commands and tasks).
    """
    return not (get_language() or "fa").startswith("en")


def page_language() -> str:
    """``"fa"`` or ``"en"``: the page's language, for what is made in one language of its own (sheets, reports)."""
    return "fa" if page_is_persian() else "en"
