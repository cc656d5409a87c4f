"""Progress pages' notices: ``{% if run|work_delayed %}`` (still waiting for the broker, see core.outbox) and
``run|work_state`` (waiting, lost by the broker and sent again, or restarting after its worker stopped; see
core.task_claims)."""

from django import template

from ..outbox import work_delayed as outbox_work_delayed
from ..task_claims import work_state as claims_work_state

register = template.Library()


@register.filter
def work_delayed(obj) -> bool:
    return outbox_work_delayed(obj)


@register.filter
def work_state(obj) -> str:
    return claims_work_state(obj)
