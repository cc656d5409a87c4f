"""Declaring a crisis level, one at a time or many from a spreadsheet; only the national coordinator may."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import City, Province, User
from core.permissions import user_can

from .models import SeverityDeclaration
from .selectors import latest_declaration

# A declaration may take effect up to a month back (recording a decision made on paper) and up to a year ahead.
MAX_DAYS_BACK = 31
MAX_DAYS_AHEAD = 366


def _check_place_and_date(province: Province, city: City | None, effective_from: dt.date) -> None:
    if city is not None and city.province_id != province.pk:
        raise ValidationError({"city": _("This city is not in the chosen province.")})
    today = timezone.localdate()
    if effective_from < today - dt.timedelta(days=MAX_DAYS_BACK):
        raise ValidationError({"effective_from": _("A level can take effect at most a month back.")})
    if effective_from > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"effective_from": _("A level can take effect at most a year ahead.")})


def _same_as_latest(province: Province, city: City | None, level: int, effective_from: dt.date, note: str) -> bool:
    latest = latest_declaration(province, city)
    return latest is not None and (latest.level, latest.effective_from, latest.note) == (level, effective_from, note)


def _declare(
    *, actor: User, province: Province, city: City | None, level: int, effective_from: dt.date, note: str
) -> tuple[SeverityDeclaration, bool]:
    if _same_as_latest(province, city, level, effective_from, note):
        # A double click, the form sent twice, the same file imported again: nothing new to say.
        return latest_declaration(province, city), False
    previous = latest_declaration(province, city)
    declaration = SeverityDeclaration.objects.create(
        province=province, city=city, level=level, effective_from=effective_from, note=note, declared_by=actor
    )
    log_action(
        actor=actor,
        obj=declaration,
        action="severity.declare",
        changes={"level": [previous.level if previous else None, level], "effective_from": [None, effective_from]},
        note=note,
    )
    return declaration, True


@transaction.atomic
def severity_declare(
    *,
    actor: User,
    province: Province,
    level: int,
    effective_from: dt.date,
    city: City | None = None,
    note: str = "",
) -> tuple[SeverityDeclaration, bool]:
    """Add a declaration (history is kept); the same declaration sent twice is recorded once."""
    if not user_can(actor, "declare_severity"):
        raise PermissionDenied
    # One declaration at a time per province, so two tabs cannot both pass the "same as latest" check.
    Province.objects.select_for_update().get(pk=province.pk)
    _check_place_and_date(province, city, effective_from)
    return _declare(
        actor=actor, province=province, city=city, level=level, effective_from=effective_from, note=note.strip()
    )


@dataclass(frozen=True)
class SeverityRow:
    row_number: int
    province: Province
    city: City | None
    level: int
    effective_from: dt.date
    note: str


@transaction.atomic
def severity_import(*, actor: User, rows: list[SeverityRow]) -> tuple[int, int]:
    """Declare every row (all or nothing; rows were checked by ``crisis.importing``); returns (new, unchanged)."""
    if not user_can(actor, "declare_severity"):
        raise PermissionDenied
    for province_id in sorted({row.province.pk for row in rows}):  # the same lock order as one at a time
        Province.objects.select_for_update().get(pk=province_id)
    new = unchanged = 0
    for row in rows:
        _check_place_and_date(row.province, row.city, row.effective_from)
        _declaration, created = _declare(
            actor=actor,
            province=row.province,
            city=row.city,
            level=row.level,
            effective_from=row.effective_from,
            note=row.note,
        )
        new += created
        unchanged += not created
    return new, unchanged
