"""Upload a statement and confirm its matched lines; each transfer is recorded once.

Both run under ``transaction.atomic``. Uploading the same file again (a double click, two tabs, next week) opens
the first upload: the file's SHA-256 is unique per uploader in the database. Confirming locks the statement row
(two clicks wait for each other) and each pledge (``pledge_confirm``), and a transfer is confirmed at most once
across all uploads (a partial unique constraint on the line's fingerprint), so an overlapping statement cannot pay
a pledge twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import User
from core.permissions import user_can
from core.persian import normalize_text

from ..models import Pledge, PledgeStatus
from ..services.pledges import pledge_confirm
from .matching import match_lines
from .models import BankStatement, StatementLine, StatementLineStatus
from .parsing import parse_statement
from .selectors import confirmed_transfers, waiting_pledges_for_matching


@dataclass(frozen=True)
class ConfirmOutcome:
    confirmed: int
    already: int


def _require_desk(actor: User) -> None:
    if not user_can(actor, "manage_donations"):
        raise PermissionDenied


@transaction.atomic
def statement_upload(*, actor: User, file_name: str, content: bytes) -> tuple[BankStatement, bool]:
    """The statement made from the file, and whether it is new (False: this person uploaded this file before)."""
    _require_desk(actor)
    fingerprint = hashlib.sha256(content).hexdigest()
    earlier = BankStatement.objects.filter(uploaded_by=actor, file_sha256=fingerprint).first()
    if earlier is not None:
        return earlier, False
    lines = parse_statement(content, file_name)
    if not lines:
        raise ValidationError({"file": _("The statement has no money coming in.")})
    matches = match_lines(
        lines, waiting_pledges_for_matching(actor), confirmed_transfers(line.fingerprint for line in lines)
    )
    try:
        with transaction.atomic():
            statement = BankStatement.objects.create(
                uploaded_by=actor, file_name=normalize_text(file_name)[-200:], file_sha256=fingerprint
            )
    except IntegrityError:  # the same file from a second tab, a moment earlier
        return BankStatement.objects.get(uploaded_by=actor, file_sha256=fingerprint), False
    StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement,
            row_number=match.line.row_number,
            booked_on=match.line.booked_on,
            amount_rials=match.line.amount_rials,
            description=match.line.description,
            bank_reference=match.line.bank_reference,
            fingerprint=match.line.fingerprint,
            status=match.status,
            pledge_id=match.pledge_pk,
            note=match.note,
        )
        for match in matches
    )
    counts = {status: sum(1 for match in matches if match.status == status) for status in StatementLineStatus}
    log_action(actor=actor, obj=statement, action="bank_statement.upload", changes={"lines": [None, counts]})
    return statement, True


@transaction.atomic
def statement_confirm_matched(*, actor: User, statement: BankStatement) -> ConfirmOutcome:
    """Confirm every matched line's pledge with the line's amount, date and bank reference."""
    _require_desk(actor)
    statement = BankStatement.objects.select_for_update().get(pk=statement.pk)
    confirmed = already = 0
    for line in statement.lines.filter(status=StatementLineStatus.MATCHED).order_by("row_number"):
        pledge = Pledge.objects.select_for_update().get(pk=line.pledge_id)
        earlier = StatementLine.objects.filter(fingerprint=line.fingerprint, status=StatementLineStatus.CONFIRMED)
        if pledge.status != PledgeStatus.PLEDGED or earlier.exists():
            line.status = StatementLineStatus.ALREADY
            line.note = _("Recorded meanwhile (by hand or from another statement); nothing was added.")
            line.save(update_fields=["status", "note"])
            already += 1
            continue
        reference = line.bank_reference or _("statement %(file)s, row %(row)s") % {
            "file": statement.file_name[:60],
            "row": line.row_number,
        }
        pledge_confirm(
            pledge=pledge,
            actor=actor,
            amount_received_rials=line.amount_rials,
            bank_reference=reference,
            received_on=line.booked_on,
        )
        line.status = StatementLineStatus.CONFIRMED
        line.save(update_fields=["status"])
        confirmed += 1
    if confirmed or already:  # a click with nothing left to confirm changes nothing
        log_action(
            actor=actor,
            obj=statement,
            action="bank_statement.confirm",
            changes={"confirmed": [None, confirmed], "already": [None, already]},
        )
    return ConfirmOutcome(confirmed, already)
