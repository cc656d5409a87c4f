"""How much of an order is paid for, and so how many units may be released to workshops.

Only money *confirmed* as received counts: pledges do not release work. Every
reader of an order's funding (the release arithmetic below, the order list,
the order page, the allocation engine) goes through ``confirmed_funds_rials``
for a single order, or ``confirmed_funds_expression`` inside a query.

The money itself lives in the donors' ledger, and ``orders`` may not import
``donors``; so the donors app registers its ledger readers here when Django
starts (``donors.apps.DonorsConfig.ready`` calls ``register_funds_source``).
Without a registered source no order has any money, and nothing is released.
The units handed to workshops live in production's quotas, above ``orders`` too:
production registers its readers the same way (``register_units_source``, from
``production.apps.ProductionConfig.ready``); without them no unit is allocated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BigIntegerField, ExpressionWrapper, F, IntegerField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Least

from .models import Order


@dataclass(frozen=True)
class FundsSource:
    """Where confirmed money is read from: one order by id, and the same figure as an expression on ``Order`` rows."""

    for_order: Callable[[int], int]
    expression: Callable[[], Combinable]


_funds_source: FundsSource | None = None


def register_funds_source(*, for_order: Callable[[int], int], expression: Callable[[], Combinable]) -> None:
    global _funds_source
    _funds_source = FundsSource(for_order=for_order, expression=expression)


@dataclass(frozen=True)
class UnitsSource:
    """Where units handed to workshops are read from: one order's allocated units by id, and per ``Order`` row the
    allocated and the produced units as expressions (production's quotas; see
    ``production.selectors.committed``)."""

    allocated_for_order: Callable[[int], int]
    allocated_expression: Callable[[], Combinable]
    produced_expression: Callable[[], Combinable]


_units_source: UnitsSource | None = None


def register_units_source(
    *,
    allocated_for_order: Callable[[int], int],
    allocated_expression: Callable[[], Combinable],
    produced_expression: Callable[[], Combinable],
) -> None:
    global _units_source
    _units_source = UnitsSource(
        allocated_for_order=allocated_for_order,
        allocated_expression=allocated_expression,
        produced_expression=produced_expression,
    )


def _units_expression(which: str) -> Combinable:
    if _units_source is None:
        return Value(0, output_field=IntegerField())
    return getattr(_units_source, which)()


def confirmed_funds_rials(order: Order) -> int:
    """Rials confirmed as received and applied to ``order`` (read from the ledger).

    Uses the ``confirmed_funds`` annotation of ``with_funding``/``with_unit_totals`` when present.
    """
    annotated = getattr(order, "confirmed_funds", None)
    if annotated is not None:
        return int(annotated)
    if _funds_source is None or order.pk is None:
        return 0
    return _funds_source.for_order(order.pk)


def confirmed_funds_expression() -> Combinable:
    """``confirmed_funds_rials`` as a query expression on ``Order`` rows (for sorting and annotating lists)."""
    if _funds_source is None:
        return Value(0, output_field=BigIntegerField())
    return _funds_source.expression()


def funded_percent(order: Order) -> int:
    """Confirmed funds as a whole percent of the budget, rounded down (100 only when fully funded)."""
    budget = order.budget_rials
    return confirmed_funds_rials(order) * 100 // budget if budget else 0


def is_fully_funded(order: Order) -> bool:
    return confirmed_funds_rials(order) >= order.budget_rials


def is_partly_funded(order: Order) -> bool:
    """Some money confirmed but not the whole budget (both partly and fully funded orders are "funded")."""
    return 0 < confirmed_funds_rials(order) < order.budget_rials


def remaining_gap_rials(order: Order) -> int:
    """What is still missing to fund the whole budget."""
    return max(order.budget_rials - confirmed_funds_rials(order), 0)


def _unit_cost(order: Order) -> int:
    return order.unit_cost_rials if order.unit_cost_rials is not None else order.product.unit_cost_rials


def releasable_units(order: Order) -> int:
    """Units the confirmed money pays for: ``floor(confirmed rials / unit cost)``, never more than the quantity."""
    unit_cost = _unit_cost(order)
    if not unit_cost:
        return 0
    return min(confirmed_funds_rials(order) // unit_cost, order.quantity)


def allocated_units(order: Order) -> int:
    """Units already handed to workshops (``production.selectors.committed.committed_units_expression``).

    Uses the ``allocated`` annotation of ``with_unit_totals`` when present.
    """
    annotated = getattr(order, "allocated", None)
    if annotated is not None:
        return annotated
    if _units_source is None or order.pk is None:
        return 0
    return _units_source.allocated_for_order(order.pk)


def committed_funds_rials(order: Order) -> int:
    """Confirmed money the order's quotas count on: ``allocated_units`` at the unit cost.

    Taking the confirmed funds below this (a refund, a move to another order)
    would leave units handed to workshops that nothing pays for.
    """
    return allocated_units(order) * _unit_cost(order)


def unallocated_releasable_units(order: Order) -> int:
    """Paid-for units not yet handed to any workshop: the input of the allocation engine."""
    return max(releasable_units(order) - allocated_units(order), 0)


def with_funding(queryset):
    """Annotate ``confirmed_funds``, ``funded_pct`` and ``releasable`` (SQL twins of the functions above)."""
    queryset = queryset.annotate(confirmed_funds=confirmed_funds_expression())
    confirmed = F("confirmed_funds")
    return queryset.annotate(
        funded_pct=ExpressionWrapper(
            confirmed * 100 / (F("quantity") * F("unit_cost_rials")), output_field=BigIntegerField()
        ),
        releasable=ExpressionWrapper(confirmed / F("unit_cost_rials"), output_field=BigIntegerField()),
    )


def with_unit_totals(queryset):
    """Annotate ``allocated`` (see ``allocated_units``), ``produced`` (all quotas) and
    ``confirmed_funds`` per order, so a list of orders needs one query, not one per order."""
    return queryset.annotate(
        allocated=_units_expression("allocated_expression"),
        produced=_units_expression("produced_expression"),
        confirmed_funds=confirmed_funds_expression(),
    )


def with_unallocated_units(queryset):
    """``with_unit_totals`` plus ``paid_for`` (``releasable_units``) and ``unallocated``
    (``unallocated_releasable_units``, here it may be negative when more was allocated than paid for):
    the SQL twins, so a list of orders and the order page count the same paid-for units no workshop has."""
    return with_unit_totals(queryset).annotate(
        paid_for=Least(F("confirmed_funds") / F("unit_cost_rials"), F("quantity"), output_field=BigIntegerField()),
        unallocated=ExpressionWrapper(F("paid_for") - F("allocated"), output_field=BigIntegerField()),
    )


@dataclass(frozen=True)
class Funding:
    """An order's money and units at a glance, for pages."""

    budget_rials: int
    confirmed_rials: int
    gap_rials: int
    percent: int
    is_fully_funded: bool
    is_partly_funded: bool
    releasable_units: int
    allocated_units: int
    unallocated_releasable_units: int


def funding_of(order: Order) -> Funding:
    return Funding(
        budget_rials=order.budget_rials,
        confirmed_rials=confirmed_funds_rials(order),
        gap_rials=remaining_gap_rials(order),
        percent=funded_percent(order),
        is_fully_funded=is_fully_funded(order),
        is_partly_funded=is_partly_funded(order),
        releasable_units=releasable_units(order),
        allocated_units=allocated_units(order),
        unallocated_releasable_units=unallocated_releasable_units(order),
    )
