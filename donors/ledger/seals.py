"""The ledger's daily seals: each past day's entries fingerprinted and chained to the day before.

A day is sealed once it has been over for ``SEAL_AFTER`` (a transaction that began before midnight and commits a
moment after it still lands in the day it is dated: entries are never dated later than they are written, see
``LedgerEntry.created_at``). ``ledger_seal_days`` catches up every day not sealed yet, from the first entry's day
on, so a night the job did not run is sealed the next time it does. ``seal_problems`` recomputes every seal
(``ledger_check`` reports them with the ledger's other invariants).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from .models import LedgerDaySeal, LedgerEntry

GENESIS = "0" * 64  # the "previous digest" of the first sealed day
SEAL_AFTER = dt.timedelta(minutes=30)

# Every column of an entry, in a fixed order: a change to any of them changes the day's digest.
FIELDS = [field.attname for field in LedgerEntry._meta.concrete_fields]


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _entry_lines(day: dt.date) -> Iterator[str]:
    start, end = _day_bounds(day)
    rows = LedgerEntry.objects.filter(created_at__gte=start, created_at__lt=end).order_by("pk").values_list(*FIELDS)
    for row in rows.iterator(chunk_size=2000):
        yield "|".join(
            value.astimezone(dt.UTC).isoformat()
            if isinstance(value, dt.datetime)
            else ("" if value is None else str(value))
            for value in row
        )


def day_digest(day: dt.date, previous_digest: str) -> tuple[str, int]:
    """The digest of ``day``'s entries after ``previous_digest``, and how many entries it covers."""
    digest = hashlib.sha256(previous_digest.encode())
    count = 0
    for line in _entry_lines(day):
        digest.update(b"\n" + line.encode())
        count += 1
    return digest.hexdigest(), count


def last_sealable_day(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime((now or timezone.now()) - SEAL_AFTER).date() - dt.timedelta(days=1)


@transaction.atomic
def ledger_seal_days(now: dt.datetime | None = None) -> int:
    """Seal every day up to the last one that is over; returns how many days were sealed now."""
    last = last_sealable_day(now)
    previous = LedgerDaySeal.objects.select_for_update().order_by("-day").first()  # two runs queue here
    if previous is not None:
        day, previous_digest = previous.day + dt.timedelta(days=1), previous.digest
    else:
        first = LedgerEntry.objects.aggregate(first=Min("created_at"))["first"]
        if first is None:
            return 0
        day, previous_digest = timezone.localtime(first).date(), GENESIS
    sealed = 0
    while day <= last:
        digest, count = day_digest(day, previous_digest)
        LedgerDaySeal.objects.create(day=day, entry_count=count, digest=digest, previous_digest=previous_digest)
        day, previous_digest = day + dt.timedelta(days=1), digest
        sealed += 1
    return sealed


def latest_seal() -> LedgerDaySeal | None:
    return LedgerDaySeal.objects.order_by("-day").first()


def seal_problems() -> list[str]:
    """Each sealed day whose entries, or whose link to the day before, no longer give its digest."""
    problems = []
    previous_digest = GENESIS
    for seal in LedgerDaySeal.objects.order_by("day"):
        if seal.previous_digest != previous_digest:
            problems.append(f"The seal of {seal.day} does not follow the seal of the day before it.")
        digest, count = day_digest(seal.day, seal.previous_digest)
        if digest != seal.digest:
            problems.append(
                f"The entries of {seal.day} no longer match the day's seal "
                f"({seal.entry_count} entries sealed, {count} there now): a past entry was changed, added or removed."
            )
        previous_digest = seal.digest
    return problems
