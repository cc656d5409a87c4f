"""The period of the dashboard and the thematic report: days ``start`` to ``end`` in Tehran time, and the
bounds that select a period's rows on date and date-time columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from core.jalali import parse_jalali
from core.persian import to_latin_digits

DEFAULT_PERIOD_DAYS = 30


@dataclass(frozen=True)
class DashboardPeriod:
    """Days ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def default(cls, today: dt.date | None = None) -> DashboardPeriod:
        end = today or timezone.localdate()
        return cls(end - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), end)

    @classmethod
    def between(cls, start: dt.date | None, end: dt.date | None, today: dt.date | None = None) -> DashboardPeriod:
        """No ``end``: today; no ``start``: 30 days before ``end`` (so neither gives the default period);
        reversed dates are swapped."""
        end = end or today or timezone.localdate()
        start = start or end - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        return cls(min(start, end), max(start, end))

    @classmethod
    def from_params(cls, params, today: dt.date | None = None) -> DashboardPeriod:
        """From Jalali ``from``/``to`` GET parameters (Persian digits welcome); unreadable ones count as missing."""
        return cls.between(_parse_date(params.get("from")), _parse_date(params.get("to")), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def day_before(self) -> dt.date:
        return self.start - dt.timedelta(days=1)


def _parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_jalali(to_latin_digits(text.strip()))
    except (TypeError, ValueError):
        return None


def day_range(path: str, period: DashboardPeriod) -> dict:
    return {f"{path}__range": (period.start, period.end)}


def midnight(day: dt.date) -> dt.datetime:
    """The moment ``day`` begins in the current time zone (Tehran), the zone ``__date`` lookups use."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def moment_range(path: str, period: DashboardPeriod) -> Q:
    """``path`` (a date-time) on a day of the period: the same rows as ``{path}__date__range``.

    Written as bounds on the column itself rather than on its local date, so
    PostgreSQL can estimate how many rows match (and use an index): on the
    local-date expression it guesses a handful and picks nested loops over
    thousands of rows.
    """
    return Q(**{f"{path}__gte": midnight(period.start), f"{path}__lt": midnight(period.end + dt.timedelta(days=1))})
