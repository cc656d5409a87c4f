"""The ledger's writes: the one writer of entries, and a pledge whose money has done its work becomes applied.

``entry_append`` is called by the money services (``donors/services/``: confirm, refund, apply, move, pay out) in
the transaction that changes the pledge, campaign or order the entry moves money for, after they have locked
those rows and re-checked the balances; it never edits an entry (the model refuses it too).
"""

from __future__ import annotations

from django.db import transaction

from core.audit import log_action

from ..models import Pledge, PledgeStatus
from .models import LedgerEntry
from .trace import attribute_ledger


def entry_append(**fields) -> LedgerEntry:
    """Validate (the kind's accounts, positive amount), save and audit one new entry; ``fields`` are its columns."""
    entry = LedgerEntry(**fields)
    entry.full_clean()
    entry.save()
    log_action(
        actor=fields.get("created_by"),
        obj=entry,
        action=f"ledger.{entry.kind}",
        changes={"amount_rials": [None, entry.amount_rials]},
        note=entry.note,
    )
    return entry


@transaction.atomic
def pledges_mark_applied(actor=None) -> list[int]:
    """received -> applied for every pledge whose money has all been paid out to workshops for accepted units.

    "Applied" means the donor's money has done its work: none of it waits in a
    campaign or an order any more (refunds aside). Called after every payout.
    Returns the ids of the pledges that changed.
    """
    money = attribute_ledger()
    ready = [pledge_id for pledge_id, item in money.items() if item.paid_total > 0 and item.held_total == 0]
    changed = list(Pledge.objects.select_for_update().filter(pk__in=ready, status=PledgeStatus.RECEIVED).order_by("pk"))
    for pledge in changed:
        pledge.status = PledgeStatus.APPLIED
        pledge.save(update_fields=["status"])
        log_action(
            actor=actor,
            obj=pledge,
            action="pledge.applied",
            changes={"status": [PledgeStatus.RECEIVED, PledgeStatus.APPLIED]},
        )
    return [pledge.pk for pledge in changed]
