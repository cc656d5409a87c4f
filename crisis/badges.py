"""The crisis level as people see it everywhere: the coloured word (static/css/app.css ``.severity-*``)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .models import SeverityLevel


def severity_badge(level: int | None) -> SafeString:
    level = SeverityLevel(level or SeverityLevel.WHITE)
    return format_html(
        '<span class="severity severity-{}" title="{}">{}</span>',
        level.name.lower(),
        gettext("Crisis level"),
        level.label,
    )
