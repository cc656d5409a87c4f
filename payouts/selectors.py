"""Reads behind the payout pages: the coordinator's batch list, one batch's lines, the owner's payout lines.

Who sees which batch (``batches_for``) and which lines are the owner's (``owner_payout_lines``) are defined in
``payouts.services``, which check the same scopes before writing; the pages read through them here.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .models import PayoutBatch, PayoutLine
from .services import batches_for, owner_payout_lines


def payout_batch_list(user) -> QuerySet[PayoutBatch]:
    """The coordinator's batches, newest first, with ``total_units``, ``total_rials`` and ``workshop_count``."""
    return (
        batches_for(user)
        .annotate(
            total_units=Coalesce(Sum("lines__units"), Value(0), output_field=IntegerField()),
            total_rials=Coalesce(Sum("lines__amount_rials"), Value(0), output_field=IntegerField()),
            workshop_count=Count("lines__workshop", distinct=True),
        )
        .prefetch_related("provinces")
        .order_by("-created_at", "-id")  # GROUP BY queries drop Meta.ordering
    )


def payout_batch_for(user, pk: int) -> PayoutBatch:
    """One batch whose every province the coordinator covers; ``PayoutBatch.DoesNotExist`` otherwise (404)."""
    return batches_for(user).get(pk=pk)


def batch_lines_by_workshop(batch: PayoutBatch) -> QuerySet[PayoutLine]:
    """The batch's lines ordered by workshop name (one bank transfer per workshop), with owner and product."""
    return batch.lines.select_related("workshop__owner", "quota__order__product").order_by("workshop__name", "pk")


def owner_payout_lines_newest_first(user) -> QuerySet[PayoutLine]:
    """The owner's payout lines, the latest period's batch first (her payouts page groups them by batch)."""
    return owner_payout_lines(user).order_by("-batch__period_end", "-batch__pk", "pk")
