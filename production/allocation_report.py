"""Plans in words: a JSON summary of an allocation run and the reasons for unmet units in plain Persian.

The summary keeps reason codes and their facts, not sentences, so a stored run
reads in whichever language the coordinator uses when she opens it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import jalali
from core.i18n import page_is_persian
from core.models import Product, Province
from core.persian import ui_number
from crisis.models import SeverityLevel
from orders.urgency import urgency_of

from .services.allocation import AllocationResult

STALE = "STALE"  # not an engine reason: the order's due date has passed, so it was left out


def _date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return jalali.format_short(day, persian=page_is_persian())


# The engine's rule (production.allocation.model.Weights.resolved): a class never loses workshop time to a lower one.
# With a crisis level somewhere in the run, the classes are urgencies (orders.urgency): priority and crisis level.
URGENCY_RULE = gettext_lazy(
    "More urgent orders came first: a higher priority, or the same priority where the crisis is more severe."
)
PRIORITY_RULE = {
    "urgent": gettext_lazy("Urgent orders come first: this time went only to other urgent orders."),
    "high": gettext_lazy("Only urgent orders and other high-priority ones came before it."),
    "normal": gettext_lazy("Urgent and high-priority orders come first."),
}


def unmet_sentence(reason: str, params: dict[str, Any]) -> str:
    """One sentence a coordinator can act on, e.g. "no verified workshop makes isolation gowns ..."."""
    product = Product.objects.filter(pk=params.get("product_id")).first()
    province = Province.objects.filter(pk=params.get("province_id")).first()
    facts = {
        "product": product.name if product else "?",
        "province": province.name if province else "?",
        "date": _date(params["due_date"]) if params.get("due_date") else "?",
        "units": ui_number(int(params.get("units", 0))),
        "met": ui_number(int(params.get("met", 0))),
        "unmet": ui_number(int(params.get("unmet", 0))),
        "minimum": ui_number(int(params.get("min_quota", 0))),
    }
    sentences = {
        "NO_MAKER": _("No verified workshop makes %(product)s."),
        "NO_MAKER_IN_TIME": _(
            "No verified workshop that makes %(product)s works on any day between tomorrow and %(date)s."
        ),
        "NO_FREE_CAPACITY_BEFORE": _(
            "No verified workshop that makes %(product)s, in %(province)s or elsewhere, "
            "has free capacity before %(date)s."
        ),
        "CAPACITY_TAKEN": _(
            "The free time of the workshops that make %(product)s before %(date)s went to other orders."
        ),
        "NOT_WORTH_IT": _(
            "The only workshops with room for %(product)s before %(date)s cost more than the plan allows."
        ),
        "PARTLY_MET": _(
            "Only %(met)s of %(units)s units could be placed: the workshops that make %(product)s "
            "have no more free capacity before %(date)s."
        ),
        "BELOW_MINIMUM": _(
            "The last %(unmet)s units are fewer than the minimum quota of %(minimum)s units "
            "and no workshop could take them in a larger quota."
        ),
        # A remainder of an order that already has quotas, or a first payment for a few units of a big one.
        "BELOW_MINIMUM_WAITING": _(
            "The remaining %(unmet)s units are fewer than the minimum quota of %(minimum)s units: they wait "
            "until more of the order is funded or a quota gives units back, rather than becoming a quota this small."
        ),
        STALE: _("Its needed-by date has passed: extend or cancel the order first."),
    }
    waiting = reason == "BELOW_MINIMUM" and params.get("partial") and int(params.get("met", 0)) == 0
    template = sentences.get("BELOW_MINIMUM_WAITING" if waiting else reason, _("Could not be placed (%(reason)s)."))
    sentence = template % {**facts, "reason": reason}
    if reason in ("CAPACITY_TAKEN", "PARTLY_MET") and params.get("crisis_in_run"):
        sentence = f"{sentence} {URGENCY_RULE}"
    elif reason in ("CAPACITY_TAKEN", "PARTLY_MET") and params.get("priority") in PRIORITY_RULE:
        sentence = f"{sentence} {PRIORITY_RULE[params['priority']]}"
    return sentence


def severity_effect_sentence(units: int) -> str:
    """What the crisis levels changed for this order, against the same run as if every place were white."""
    if units > 0:
        return _("The crisis levels gave it %(units)s more units than the same plan without them.") % {
            "units": ui_number(units)
        }
    if units < 0:
        return _("The crisis levels gave %(units)s of its units to orders in places in crisis.") % {
            "units": ui_number(-units)
        }
    return ""


def severity_sentence(priority: str, severity: int) -> str:
    """Why a crisis level moved an order up: "Red crisis level: ranked as urgency 4 of 6, before …"."""
    if not severity:
        return ""
    urgency = urgency_of(priority, severity)
    return _(
        "%(level)s crisis level where it is needed: urgency %(urgency)s of 6 instead of %(plain)s, so it came "
        "before orders of the same or a higher priority in calmer places."
    ) % {
        "level": SeverityLevel(severity).label,
        "urgency": ui_number(urgency),
        "plain": ui_number(urgency - severity),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def summarize(result: AllocationResult) -> dict[str, Any]:
    """The run as plain JSON: per order the workshops and units, unmet units with reasons, releases,
    allocations dropped because their workshop was suspended meanwhile, totals."""
    plan = result.plan
    by_order: dict[int, dict[str, Any]] = {}

    def entry(order_id: int) -> dict[str, Any]:
        if order_id not in by_order:
            order = result.orders[order_id]
            by_order[order_id] = {
                "order_id": order_id,
                "number": order.number,
                "health_center": order.health_center.name,
                "province_id": order.health_center.province_id,
                "product_id": order.product_id,
                "priority": order.priority,
                "severity": result.severities.get(order_id, 0),
                "severity_effect": result.severity_effect.get(order_id, 0),
                "allocations": [],
                "unmet_units": 0,
                "unmet_reason": "",
                "unmet_params": {},
            }
        return by_order[order_id]

    for allocation in plan.allocations:
        workshop = result.workshops[allocation.workshop_id]
        entry(allocation.order_id)["allocations"].append(
            {
                "workshop_id": workshop.pk,
                "workshop": workshop.name,
                "city_id": workshop.city_id,
                "province_id": workshop.province_id,
                "woman_head": workshop.is_woman_head_of_household,
                "units": allocation.units,
                "due_date": allocation.due_date.isoformat(),
            }
        )
    crisis_in_run = any(result.severities.values())
    for unmet in plan.unmet:
        item = entry(unmet.order_id)
        params = {**dict(unmet.params), "crisis_in_run": crisis_in_run}
        item.update(unmet_units=unmet.units, unmet_reason=unmet.reason, unmet_params=_jsonable(params))
    for order in result.skipped_orders:
        item = entry(order.pk)
        item.update(unmet_reason=STALE, unmet_params={"due_date": order.needed_by.isoformat()})
    releases = [
        {
            "quota_id": release.quota.pk,
            "order_id": release.quota.order_id,
            "workshop": release.quota.workshop.name,
            "units": release.units,
            "reason": release.reason,
        }
        for release in result.releases
    ]
    dropped = [
        {
            "order_id": allocation.order_id,
            "number": result.orders[allocation.order_id].number,
            "workshop_id": allocation.workshop_id,
            "workshop": result.workshops[allocation.workshop_id].name,
            "units": allocation.units,
        }
        for allocation in result.dropped
    ]
    # The bound of the full model (every eligible pair), not the pruned LP's optimum: a pruned run's plan can
    # beat that one, and a "gap" against it would claim more than is known.
    lp_bound = float(plan.stats.get("full_model_bound", plan.lp_bound))
    objective = float(plan.objective)
    return {
        "today": result.today.isoformat(),
        "totals": {
            "orders": len(by_order),
            "quotas": len(plan.allocations),
            "allocated_units": plan.allocated_units(),
            "unmet_units": plan.unmet_units(),
            "released_units": sum(release["units"] for release in releases),
            "dropped_units": sum(item["units"] for item in dropped),
            # Where crisis severity weighed: orders in yellow, orange or red places and the units they received.
            "crisis_orders": sum(1 for item in by_order.values() if item["severity"]),
            # Preview: units the levels moved between orders, against the same run as if every place were white.
            "crisis_moved_units": sum(units for units in result.severity_effect.values() if units > 0),
            "crisis_units": sum(
                line["units"] for item in by_order.values() if item["severity"] for line in item["allocations"]
            ),
            "objective": round(objective, 2),
            "lp_bound": round(lp_bound, 2),
            "gap_percent": round(100 * (objective - lp_bound) / abs(lp_bound), 3) if lp_bound else 0.0,
        },
        "seconds": {key: round(value, 3) for key, value in result.seconds.items()},
        # A commit's plan made before its locks did not hold on the data read under them: it was solved again there.
        "replanned_under_locks": result.replanned_under_locks,
        "replan_reasons": result.replan_reasons,
        "engine": _jsonable(dict(plan.stats)),
        "orders": [by_order[key] for key in sorted(by_order)],
        "releases": releases,
        "dropped": dropped,  # planned for a workshop suspended during the commit, left for the next run
        "violations": result.violations,
        "written_quota_ids": [quota.pk for quota in result.quotas],
    }
