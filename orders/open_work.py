"""Work an order has handed out (production's quotas): it follows the order's cancellation and new date, and tells
whether any of it is being made.

``orders`` may not import ``production``, which holds the quotas; so production registers its handlers here when
Django starts (``production.apps.ProductionConfig.ready`` calls ``register_open_work``), as donors registers its
ledger with ``orders.funding``. Without registered handlers an order has handed nothing out: nothing follows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from core.models import User

from .models import Order


@dataclass(frozen=True)
class OpenWork:
    """Each handler runs inside the order service's transaction, with the order row locked."""

    # Cancel the order's work still running with the order's reason; returns how much was cancelled.
    cancel: Callable[[Order, User | None, str], int]
    # Give the order's work still running a new due date; returns how much was moved.
    move_due_date: Callable[[Order, dt.date, User | None, str], int]
    # Whether a workshop has accepted part of the order (it is being made).
    is_being_made: Callable[[Order], bool]


_open_work: OpenWork | None = None


def register_open_work(
    *,
    cancel: Callable[[Order, User | None, str], int],
    move_due_date: Callable[[Order, dt.date, User | None, str], int],
    is_being_made: Callable[[Order], bool],
) -> None:
    global _open_work
    _open_work = OpenWork(cancel=cancel, move_due_date=move_due_date, is_being_made=is_being_made)


def cancel_open_work(order: Order, actor: User | None, reason: str) -> int:
    return _open_work.cancel(order, actor, reason) if _open_work else 0


def move_open_work(order: Order, due_date: dt.date, actor: User | None, reason: str) -> int:
    return _open_work.move_due_date(order, due_date, actor, reason) if _open_work else 0


def is_being_made(order: Order) -> bool:
    return _open_work.is_being_made(order) if _open_work else False
