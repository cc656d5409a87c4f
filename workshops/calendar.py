"""Working days and the time-shared capacity rule, on plain values.

A workshop works on some weekdays and not during its unavailable ranges. Its
time is shared between products: a day spent on gowns is not available for
masks, so a quota needs ``units / daily rate`` days of the workshop's time.
The rule, shared with the allocation engine: for every due date D, the days
needed by all quotas due on or before D must fit in the working days from
tomorrow until D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

# Python weekday numbers (Monday = 0) in the order of the Iranian week.
SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = 5, 6, 0, 1, 2, 3, 4
WEEK_ORDER = (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY)
WEEKDAY_NAMES = {
    SATURDAY: _("Saturday"),
    SUNDAY: _("Sunday"),
    MONDAY: _("Monday"),
    TUESDAY: _("Tuesday"),
    WEDNESDAY: _("Wednesday"),
    THURSDAY: _("Thursday"),
    FRIDAY: _("Friday"),
}
# Saturday to Thursday: the usual Iranian working week.
DEFAULT_WEEKDAY_MASK = sum(1 << day for day in WEEK_ORDER if day != FRIDAY)


def mask_from_weekdays(weekdays: Iterable[int]) -> int:
    return sum(1 << int(day) for day in set(weekdays))


def weekdays_from_mask(mask: int) -> list[int]:
    return [day for day in WEEK_ORDER if mask & (1 << day)]


@dataclass(frozen=True)
class WorkCalendar:
    """When a workshop works: weekday bitmask (bit = Python weekday) and closed date ranges."""

    weekday_mask: int
    closed: tuple[tuple[dt.date, dt.date], ...] = ()

    def is_working_day(self, day: dt.date) -> bool:
        if not self.weekday_mask & (1 << day.weekday()):
            return False
        return not any(start <= day <= end for start, end in self.closed)

    def working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days from ``first`` to ``last``, both included (0 when last < first).

        Counted by arithmetic, not day by day: the dashboard asks this for
        thousands of quotas spanning weeks on every request.
        """
        if last < first:
            return 0
        count = _weekdays_in(self.weekday_mask, first, last)
        if not self.closed:
            return count
        for start, end in _merged(self.closed):
            overlap_first, overlap_last = max(start, first), min(end, last)
            if overlap_first <= overlap_last:
                count -= _weekdays_in(self.weekday_mask, overlap_first, overlap_last)
        return count


# _PREFIX[mask][r]: how many of the weekdays 0 .. r-1 (Monday first) are in ``mask``.
_PREFIX = tuple(tuple(sum(1 for day in range(rest) if mask & (1 << day)) for rest in range(8)) for mask in range(128))


def _weekdays_in(mask: int, first: dt.date, last: dt.date) -> int:
    """Days from ``first`` to ``last`` (both included, last >= first) whose weekday is in ``mask``.

    The days of ``mask`` up to ``last`` minus those before ``first``, each by
    table look-up: day 1 of the proleptic calendar was a Monday.
    """
    prefix = _PREFIX[mask & 0x7F]
    per_week = prefix[7]
    weeks, rest = divmod(last.toordinal(), 7)
    through_last = weeks * per_week + prefix[rest]
    weeks, rest = divmod(first.toordinal() - 1, 7)
    return through_last - weeks * per_week - prefix[rest]


@lru_cache(maxsize=4096)
def _merged(ranges: tuple[tuple[dt.date, dt.date], ...]) -> tuple[tuple[dt.date, dt.date], ...]:
    """Closed ranges sorted and joined where they overlap or touch, so no day is taken off twice."""
    merged: list[list[dt.date]] = []
    for start, end in sorted(ranges):
        if end < start:
            continue
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


@dataclass(frozen=True)
class Load:
    """Remaining work of one quota: ``units`` of ``product_id`` due on ``due_date``."""

    key: Hashable
    due_date: dt.date
    product_id: int
    units: int


def loads_at_risk(
    *, calendar: WorkCalendar, rates: dict[int, int], loads: Sequence[Load], today: dt.date
) -> list[Hashable]:
    """Keys of the loads that no longer fit the workshop's time, earliest due first.

    A load is at risk when its product has no daily rate any more, or when the
    days needed by it and every load due no later than it exceed the working
    days from tomorrow until its due date. Exact fractions avoid rounding a
    borderline schedule either way.
    """
    at_risk: list[Hashable] = []
    days_needed = Fraction(0)
    tomorrow = today + dt.timedelta(days=1)
    for load in sorted(loads, key=lambda item: (item.due_date, str(item.key))):
        if load.units <= 0:
            continue
        rate = rates.get(load.product_id, 0)
        if rate <= 0:
            at_risk.append(load.key)
            continue
        days_needed += Fraction(load.units, rate)
        if days_needed > calendar.working_days(tomorrow, load.due_date):
            at_risk.append(load.key)
    return at_risk
