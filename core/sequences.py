from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from .jalali import jalali_year
from .models import NumberSequence


@transaction.atomic
def next_number(prefix: str, *, on: dt.date | None = None, width: int = 6) -> str:
    """Next ``PREFIX-YEAR-NNNNNN`` for the Jalali year of ``on`` (default: today in Tehran).

    The sequence row is locked for the rest of the caller's transaction, so two
    concurrent orders never get the same number.
    """
    year = jalali_year(on or timezone.localdate())
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:  # created by a concurrent transaction between our read and insert
        pass
    sequence = NumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{prefix}-{year}-{sequence.last_value:0{width}d}"
