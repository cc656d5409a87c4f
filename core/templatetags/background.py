"""``{% if run|work_delayed %}``: the page's background work is still waiting for the broker (see core.outbox)."""

from django import template

from ..outbox import work_delayed as outbox_work_delayed

register = template.Library()


@register.filter
def work_delayed(obj) -> bool:
    return outbox_work_delayed(obj)
