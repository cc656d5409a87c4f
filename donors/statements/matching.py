"""Which waiting pledge each credit line pays: by the pledge's reference and its amount (pure, no database).

The donor quotes the pledge's 7-digit reference (its last digit a Luhn check) in the transfer's description, so a
line is **matched** only when exactly one waiting pledge's reference is in it and the amount is exactly the
pledged one. Everything else is left to the coordinator, with the reason: a reference with another amount, two
references, a reference already used by an earlier line of the file, or no reference at all (then pledges of the
same amount are named as candidates, never chosen). A line already confirmed from another upload is **already**.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.persian import to_latin_digits, ui_number
from core.validators import luhn_check_digit

from .models import StatementLineStatus
from .parsing import ParsedLine

_SEVEN_DIGITS = re.compile(r"(?<!\d)\d{7}(?!\d)")


@dataclass(frozen=True)
class WaitingPledge:
    pk: int
    reference: str
    amount_rials: int


@dataclass(frozen=True)
class LineMatch:
    line: ParsedLine
    status: str
    pledge_pk: int | None = None
    note: str = ""


def references_in(text: str) -> list[str]:
    """7-digit numbers in ``text`` (any digits) whose last digit is their Luhn check, in order, each once."""
    found: list[str] = []
    for number in _SEVEN_DIGITS.findall(to_latin_digits(text)):
        if luhn_check_digit(number[:-1]) == number[-1] and number not in found:
            found.append(number)
    return found


def match_lines(
    lines: Iterable[ParsedLine], waiting: Iterable[WaitingPledge], confirmed_fingerprints: Mapping[str, str]
) -> list[LineMatch]:
    """One ``LineMatch`` per line, in order. ``confirmed_fingerprints`` maps a transfer already confirmed from an
    earlier upload to what confirmed it (shown in the note)."""
    by_reference = {pledge.reference: pledge for pledge in waiting}
    by_amount: dict[int, list[WaitingPledge]] = {}
    for pledge in by_reference.values():
        by_amount.setdefault(pledge.amount_rials, []).append(pledge)
    taken: set[int] = set()
    results = []
    for line in lines:
        result = _match_one(line, by_reference, by_amount, taken, confirmed_fingerprints)
        if result.status == StatementLineStatus.MATCHED:
            taken.add(result.pledge_pk)
        results.append(result)
    return results


def _match_one(line, by_reference, by_amount, taken, confirmed_fingerprints) -> LineMatch:
    if line.fingerprint in confirmed_fingerprints:
        return LineMatch(line, StatementLineStatus.ALREADY, note=confirmed_fingerprints[line.fingerprint])
    references = [ref for ref in references_in(f"{line.description} {line.bank_reference}") if ref in by_reference]
    if len(references) > 1:
        return LineMatch(
            line, StatementLineStatus.AMBIGUOUS, note=_("Several pledge references: %s") % "، ".join(references)
        )
    if not references:
        same_amount = [pledge for pledge in by_amount.get(line.amount_rials, []) if pledge.pk not in taken]
        if same_amount:
            note = _("No pledge reference; waiting pledges of this amount: %s") % "، ".join(
                pledge.reference for pledge in same_amount[:5]
            )
            return LineMatch(line, StatementLineStatus.AMBIGUOUS, note=note)
        return LineMatch(line, StatementLineStatus.UNMATCHED, note=_("No waiting pledge has this reference or amount."))
    pledge = by_reference[references[0]]
    if pledge.pk in taken:
        return LineMatch(
            line,
            StatementLineStatus.AMBIGUOUS,
            pledge.pk,
            _("Pledge %s is already matched to an earlier line of this file.") % pledge.reference,
        )
    if line.amount_rials != pledge.amount_rials:
        note = _("Pledge %(reference)s promised %(pledged)s rials, the bank received %(received)s.") % {
            "reference": pledge.reference,
            "pledged": ui_number(pledge.amount_rials),
            "received": ui_number(line.amount_rials),
        }
        return LineMatch(line, StatementLineStatus.AMBIGUOUS, pledge.pk, note)
    return LineMatch(line, StatementLineStatus.MATCHED, pledge.pk)
