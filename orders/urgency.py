"""How urgent an order is: its priority and the crisis severity where it is needed, one number, written once.

    urgency = priority points (normal 1, high 2, urgent 3) + severity of the health center's city on the day
              (white 0, yellow 1, orange 2, red 3; crisis.selectors: the higher of the city's and its province's)

Lists show the most urgent first; equal urgency goes by priority, then by the needed-by date. So a red
province's normal order (1 + 3 = 4) comes before a white province's high one (2 + 0 = 2) and even its urgent
one (3); an orange province's normal order (3) ties with a white province's urgent one, and the urgent one goes
first. The order lists and the funding board sort by it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from crisis.selectors import severity_expression

from .models import OrderPriority

PRIORITY_POINTS = {OrderPriority.URGENT: 3, OrderPriority.HIGH: 2, OrderPriority.NORMAL: 1}
# Ties in urgency: urgent before high before normal.
PRIORITY_RANK = {OrderPriority.URGENT: 0, OrderPriority.HIGH: 1, OrderPriority.NORMAL: 2}


def _points(table: dict) -> Case:
    return Case(
        *(When(priority=priority, then=Value(points)) for priority, points in table.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def with_urgency(queryset: QuerySet, on: dt.date | None = None) -> QuerySet:
    """Orders with ``severity`` (0–3 at the health center's city on ``on``), ``urgency`` and ``priority_rank``."""
    return queryset.annotate(
        severity=severity_expression("health_center__city", "health_center__province", on),
        priority_rank=_points(PRIORITY_RANK),
    ).annotate(urgency=_points(PRIORITY_POINTS) + F("severity"))


MOST_URGENT_FIRST = ("-urgency", "priority_rank", "needed_by", "pk")


def urgency_of(priority: str, severity: int) -> int:
    """The same rule in Python (for the allocation engine's weights and the explanations)."""
    return PRIORITY_POINTS.get(priority, 0) + int(severity)
