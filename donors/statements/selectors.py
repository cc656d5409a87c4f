"""Reads of the statement pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from core.jalali import format_short
from core.scoping import sees_all_provinces

from ..selectors import pledges_waiting
from .matching import WaitingPledge
from .models import BankStatement, StatementLine, StatementLineStatus


def statements_visible_to(user) -> QuerySet[BankStatement]:
    """A coordinator's own uploads (matched against her provinces' pledges); national coordinators see all."""
    statements = BankStatement.objects.select_related("uploaded_by").annotate(
        line_count=Count("lines"),
        confirmed_count=Count("lines", filter=Q(lines__status=StatementLineStatus.CONFIRMED)),
        matched_count=Count("lines", filter=Q(lines__status=StatementLineStatus.MATCHED)),
    )
    if sees_all_provinces(user):
        return statements
    return statements.filter(uploaded_by=user)


def statement_lines(statement: BankStatement) -> QuerySet[StatementLine]:
    return statement.lines.select_related("pledge").order_by("row_number")


def waiting_pledges_for_matching(user) -> list[WaitingPledge]:
    """The pledges a statement uploaded by ``user`` may pay: the ones waiting in her scope (``pledges_waiting``)."""
    rows = pledges_waiting(user).order_by("pk").values_list("pk", "reference", "amount_rials")
    return [WaitingPledge(pk, reference, amount) for pk, reference, amount in rows]


def confirmed_transfers(fingerprints: Iterable[str]) -> dict[str, str]:
    """Transfers among ``fingerprints`` already confirmed from some upload, with where (for the line's note)."""
    lines = StatementLine.objects.filter(
        fingerprint__in=list(fingerprints), status=StatementLineStatus.CONFIRMED
    ).select_related("statement", "pledge")
    return {
        line.fingerprint: _("Confirmed on %(date)s from “%(file)s” (pledge %(reference)s).")
        % {
            "date": format_short(line.statement.uploaded_at.date()),
            "file": line.statement.file_name,
            "reference": line.pledge.reference,
        }
        for line in lines
    }
