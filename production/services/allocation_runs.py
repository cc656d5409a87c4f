"""Starting an allocation run: the row the desk follows, and the task that plans it."""

from __future__ import annotations

from django.db import transaction

from core.models import User
from core.outbox import enqueue

from ..models import AllocationRun
from ..tasks import run_allocation


@transaction.atomic
def start_run(*, user: User, province_codes: list[str], dry_run: bool) -> AllocationRun:
    """Record a run and queue its task once the row is committed (the worker must be able to read it)."""
    run = AllocationRun.objects.create(created_by=user, province_codes=province_codes, dry_run=dry_run)
    enqueue(run_allocation, run.pk, obj=run)
    return run
