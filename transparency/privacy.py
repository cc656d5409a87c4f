"""No figure on a public page describes fewer than five workshops or donors (pure functions, no database).

A row of production figures (a province's or a product's) that describes one to four workshops is merged into
one "other" row; if the merged row still describes fewer than five, the smallest shown rows join it until it does
(otherwise the total minus the shown rows would give it away). Days of money work the same way in time: a day
joins the days after it until the span has five donors (or no money received) and five workshops paid (or no
payout); a last span too small joins the one before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

MINIMUM = 5

Row = TypeVar("Row")


def protected_rows(
    rows: Sequence[Row], *, people: Callable[[Row], int], merge: Callable[[list[Row]], Row]
) -> tuple[list[Row], Row | None]:
    """``rows`` that describe no one or at least ``MINIMUM`` people, and the merged row of the rest (None when there
    is none, or when all of them together are still fewer than ``MINIMUM``: then they are not shown)."""
    small = {index for index, row in enumerate(rows) if 0 < people(row) < MINIMUM}
    if not small:
        return list(rows), None
    # The shown rows that describe someone, smallest first: the next to join the merged row.
    candidates = sorted(
        (i for i in range(len(rows)) if i not in small and people(rows[i])), key=lambda i: people(rows[i])
    )
    merged = set(small)
    while sum(people(rows[i]) for i in merged) < MINIMUM and candidates:
        merged.add(candidates.pop(0))
    kept = [row for i, row in enumerate(rows) if i not in merged]
    if sum(people(rows[i]) for i in merged) < MINIMUM:
        return kept, None  # all of them together are still fewer than five: not shown at all
    return kept, merge([rows[i] for i in sorted(merged)])


@dataclass
class MoneyDay:
    """Money received from donors, paid to workshops and refunded to donors over ``first`` to ``last``."""

    first: dt.date
    last: dt.date
    received_rials: int = 0
    donors: frozenset[int] = frozenset()  # who gave or was refunded
    paid_rials: int = 0
    workshops: frozenset[int] = frozenset()
    refunded_rials: int = 0

    def joined(self, other: MoneyDay) -> MoneyDay:
        return MoneyDay(
            min(self.first, other.first),
            max(self.last, other.last),
            self.received_rials + other.received_rials,
            self.donors | other.donors,
            self.paid_rials + other.paid_rials,
            self.workshops | other.workshops,
            self.refunded_rials + other.refunded_rials,
        )

    @property
    def is_safe(self) -> bool:
        donor_money = self.received_rials or self.refunded_rials
        return (not donor_money or len(self.donors) >= MINIMUM) and (
            not self.paid_rials or len(self.workshops) >= MINIMUM
        )


def protected_days(days: Sequence[MoneyDay]) -> list[MoneyDay]:
    """Days in order, joined into spans that each describe at least five donors and five workshops paid."""
    spans: list[MoneyDay] = []
    pending: MoneyDay | None = None
    for day in days:
        pending = day if pending is None else pending.joined(day)
        if pending.is_safe:
            spans.append(pending)
            pending = None
    if pending is not None:
        if spans:
            spans[-1] = spans[-1].joined(pending)
        else:
            return []  # everything together still describes fewer than five: nothing is shown
    return [span for span in spans if span.is_safe]
