from django import template

from ..badges import severity_badge

register = template.Library()


@register.filter(name="severity_badge")
def severity_badge_filter(level):
    """``{{ order.severity|severity_badge }}``: the level as a coloured word."""
    return severity_badge(level)
