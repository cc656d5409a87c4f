"""The allocation engine: which workshop makes how many units of which order, by when.

Pure Python (numpy, scipy.sparse, HiGHS); no database. The DB-facing service
builds :class:`OrderDemand` and :class:`WorkshopSupply` values, calls
:func:`allocate` and turns the :class:`Plan` into quota offers;
:func:`check_plan` and :func:`plan_objective` re-check any plan independently.

The model
=========

Input: per open order in scope, its releasable units not yet allocated
(``units``), product, province, city, priority and quota due date; per
verified workshop, its province, city, daily rate per declared product, work
calendar, woman-head-of-household flag and the remaining units of the quotas
it already holds (``loads``). Decision: integer units ``x[o, w]`` per pair.

Hard constraints (never violated; ``checker.py`` verifies each one):

* a workshop only gets products it declared (rate > 0), and only workshops
  of the input get anything;
* time-shared capacity: for every workshop and every due date D, the days
  needed by its quotas due on or before D, existing ones included (``units /
  daily rate`` each), fit in its working days from tomorrow until D
  (``WorkCalendar.working_days(today + 1, D)``). A date the existing quotas
  already overbook takes no new work due on or before it; its overbooking is
  the business of ``loads_at_risk``, not of the plan;
* per order, allocated units <= ``units``;
* minimum quota size ``Options.min_quota`` (default 10): every quota has at
  least that many units, except that an order whose ``units`` is below the
  minimum may get one single quota of exactly ``units`` (all or nothing).

Objective, minimised (weights in :class:`Weights`):

* unmet units x priority weight (urgent 1000, high 300, normal 100);
* placement per allocated unit: same city 0, same province 1, other province
  4; a woman-head-of-household workshop adds -0.5;
* fairness: a workshop's *free days* are its working days from tomorrow to
  the latest due date among the orders it could serve (orders of its
  products), minus the days its existing quotas due in that window need
  (never below 0). New work up to ``fair_share`` (80%) of them is free; every
  unit of the new work beyond that costs ``overload`` (2). With units
  ``x = y + z`` per pair, the y-units of a workshop take at most 80% of its
  free days and each z-unit costs 2; the cheapest split covers the excess
  days with the workshop's slowest products first.

Solution: LP relaxation, then integer repair (see ``solver.py``). The LP
is the pair LP with column generation (``lp.py``, ``pricing.py``), or, on a
scarce run small enough (``Options.flow_lp_arcs``), the full model's LP
solved exactly as a flow through hubs (``flow_lp.py``). ``Plan.lp_bound``
is the optimum of the LP solved (the pair LP over the pairs the engine kept:
all eligible pairs on small inputs, pruned on a country-wide one, see
``candidates.py``); ``Plan.stats["full_model_bound"]`` bounds the full model
from below whatever the pruning. Determinism: inputs are sorted
by id, ties broken by id, the LP solved single-threaded.
"""

from .checker import check_plan, plan_objective
from .model import (
    DEFAULT_MIN_QUOTA,
    HIGH,
    NORMAL,
    URGENT,
    Allocation,
    ExistingLoad,
    Options,
    OrderDemand,
    Plan,
    Unmet,
    Weights,
    WorkshopSupply,
)
from .reasons import (
    BELOW_MINIMUM,
    CAPACITY_TAKEN,
    NO_FREE_CAPACITY_BEFORE,
    NO_MAKER,
    NO_MAKER_IN_TIME,
    NOT_WORTH_IT,
    PARTLY_MET,
    REASONS,
)
from .solver import allocate

__all__ = [
    "BELOW_MINIMUM",
    "CAPACITY_TAKEN",
    "DEFAULT_MIN_QUOTA",
    "HIGH",
    "NORMAL",
    "NOT_WORTH_IT",
    "NO_FREE_CAPACITY_BEFORE",
    "NO_MAKER",
    "NO_MAKER_IN_TIME",
    "PARTLY_MET",
    "REASONS",
    "URGENT",
    "Allocation",
    "ExistingLoad",
    "Options",
    "OrderDemand",
    "Plan",
    "Unmet",
    "Weights",
    "WorkshopSupply",
    "allocate",
    "check_plan",
    "plan_objective",
]
