"""The one way to write the audit trail.

Services call ``log_action`` inside their transaction, so a change and its
audit entry commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from .bulk_insert import insert_rows
from .i18n import page_is_persian
from .models import AuditLog


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Current values of ``fields`` (foreign keys as ids), ready for JSON."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[name] = _jsonable(getattr(obj, field.attname))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    keys = before.keys() | after.keys()
    return {key: [before.get(key), after.get(key)] for key in sorted(keys) if before.get(key) != after.get(key)}


def log_action(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
) -> AuditLog:
    """Record that ``actor`` did ``action`` to ``obj``. ``actor`` may be None for the system."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=actor_user,
        actor_repr=str(actor_user) if actor_user else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={key: [_jsonable(a), _jsonable(b)] for key, (a, b) in (changes or {}).items()},
        note=note,
    )


def add_and_log(obj: models.Model, deltas: dict[str, int], *, actor: Any, action: str, note: str = "") -> None:
    """Add ``deltas`` to counters of ``obj`` (a quota's units), save only those, and log each before and after."""
    changes = {}
    for name, delta in deltas.items():
        before = getattr(obj, name)
        setattr(obj, name, before + delta)
        changes[name] = [before, before + delta]
    obj.save(update_fields=list(deltas))
    log_action(actor=actor, obj=obj, action=action, changes=changes, note=note)


def change_status(obj: models.Model, status: Any, *, actor: Any, action: str, note: str = "", **fields: Any) -> None:
    """Move ``obj`` to ``status``, setting ``fields`` with it (reason, time), save only those, and log the move."""
    before = obj.status
    obj.status = status
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save(update_fields=["status", *fields])
    log_action(actor=actor, obj=obj, action=action, changes={"status": [before, obj.status]}, note=note)


def log_actions(
    *,
    actor: Any,
    objs: Iterable[models.Model],
    action: str,
    changes: Callable[[models.Model], dict[str, list[Any]]],
    note: str = "",
) -> int:
    """``log_action`` for many objects in one insert; returns how many entries were written."""
    return log_action_rows(
        actor=actor,
        rows=(
            (ContentType.objects.get_for_model(obj, for_concrete_model=False), obj.pk, str(obj), changes(obj))
            for obj in objs
        ),
        action=action,
        note=note,
    )


def log_action_rows(
    *,
    actor: Any,
    rows: Iterable[tuple[ContentType, Any, str, dict[str, list[Any]]]],
    action: str,
    note: str = "",
) -> int:
    """``log_actions`` from plain values ``(content type, pk, str(obj), changes)``, for tens of thousands at once.

    An allocation run offers that many quotas: it hands their ids and texts
    without building the objects (``core.bulk_insert``); returns how many.
    """
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    template = AuditLog(
        actor=actor_user, actor_repr=str(actor_user) if actor_user else "system", action=action, note=note
    )
    return len(
        insert_rows(
            AuditLog,
            template=template,
            columns=("content_type_id", "object_id", "object_repr", "changes"),
            rows=(
                (
                    content_type.pk,
                    str(pk),
                    text[:200],
                    {key: [_jsonable(a), _jsonable(b)] for key, (a, b) in changed.items()},
                )
                for content_type, pk, text, changed in rows
            ),
        )
    )


@dataclass(frozen=True)
class Change:
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: str
    what: str
    changes: list[Change]
    note: str


# --- How a history names keys and values -------------------------------------------------------------------
# The log keeps internal keys and values; every history page goes through audit_history, which shows them
# through this registry, so a key a page's labeller does not know never reaches the page raw.

SYSTEM_ACTOR = gettext_lazy("System")
GENERIC_LABEL = gettext_lazy("Other detail")

FIELD_LABELS: dict[str, Any] = {
    "confirmed_through": gettext_lazy("Confirmed through"),
    "units": gettext_lazy("Units"),
    "quota.produced_units": gettext_lazy("Produced in all"),
    "login_locked": gettext_lazy("Login locked"),
    "provinces": gettext_lazy("Provinces"),
}

VALUE_LABELS: dict[str, dict[Any, Any]] = {
    "confirmed_through": {
        "link": gettext_lazy("The link sent to the receiver"),
        "app": gettext_lazy("The receiver's account"),
    },
}

# Keys that carry a database id (``line_17_received``): shown with the line's place in the entry instead.
LINE_KEY = re.compile(r"^line_(\d+)_(received|rejected)$")
LINE_LABELS = {
    "received": gettext_lazy("Line {n}: units received"),
    "rejected": gettext_lazy("Line {n}: units rejected"),
}


def register_history_labels(labels: dict[str, Any], values: dict[str, dict[Any, Any]] | None = None) -> None:
    """Let an app name its own non-field keys (and their values) in every history."""
    FIELD_LABELS.update(labels)
    for key, mapping in (values or {}).items():
        VALUE_LABELS.setdefault(key, {}).update(mapping)


def _line_numbers(keys: Iterable[str]) -> dict[str, int]:
    ids = sorted({int(match.group(1)) for key in keys if (match := LINE_KEY.match(key))})
    return {str(pk): place for place, pk in enumerate(ids, start=1)}


def _label(key: str, label: Callable[[str], str], lines: dict[str, int]) -> str:
    from .persian import ui_number

    if match := LINE_KEY.match(key):
        return str(LINE_LABELS[match.group(2)]).format(n=ui_number(lines[match.group(1)]))
    text = str(label(key))
    if text and text != key:
        return text
    return str(FIELD_LABELS.get(key, GENERIC_LABEL))


def _value(key: str, value: Any, readable: Callable[[str, Any], Any]) -> Any:
    from .persian import ui_number

    if value is None or value == "":
        return None
    mapping = VALUE_LABELS.get(key)
    if mapping is not None:
        try:
            if value in mapping:
                return str(mapping[value])
        except TypeError:  # an unhashable value (a list) is never a mapped one
            pass
    value = readable(key, value)
    if isinstance(value, bool):
        return str(gettext_lazy("Yes") if value else gettext_lazy("No"))
    if isinstance(value, (int, Decimal)):
        return ui_number(value)
    if isinstance(value, list):
        return list_separator().join(str(_value(key, item, readable) or "—") for item in value)
    return value


def list_separator() -> str:
    """``، `` between the items of a Persian list (``تهران، تهران``), ``, `` in English."""
    return "، " if page_is_persian() else ", "


def actor_name(entry: AuditLog) -> str:
    """Who did it, as a person reads it: the user's name, or "System" (translated) for automatic work."""
    if entry.actor:
        return entry.actor.full_name
    return str(SYSTEM_ACTOR) if entry.actor_repr in ("", "system") else entry.actor_repr


def audit_history(
    obj: models.Model,
    *,
    action_labels: dict[str, Any],
    label: Callable[[str], str],
    readable: Callable[[str, Any], Any],
    limit: int = 50,
) -> list[HistoryEntry]:
    """``obj``'s audit entries, newest first, in words a person reads.

    Each page says how to name its fields (``label``) and show their values
    (``readable``); the walk over the log, and the names of keys no page
    knows (``FIELD_LABELS``, line keys, a generic label), are the same everywhere.
    """
    entries = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")[:limit]
    history = []
    for entry in entries:
        changes = []
        lines = _line_numbers(entry.changes or {})
        for key, pair in (entry.changes or {}).items():
            before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
            changes.append(
                Change(_label(key, label, lines), _value(key, before, readable), _value(key, after, readable))
            )
        history.append(
            HistoryEntry(
                when=entry.created_at,
                who=actor_name(entry),
                what=str(action_labels.get(entry.action, GENERIC_ACTION)),
                changes=changes,
                note=entry.note,
            )
        )
    return history


GENERIC_ACTION = gettext_lazy("Changed")


def field_labeller(model: type[models.Model], extra_labels: dict[str, Any] | None = None) -> Callable[[str], str]:
    """``label`` for ``audit_history``: the model field's verbose name, or one of ``extra_labels`` (non-fields)."""
    extra = extra_labels or {}

    def label(name: str) -> str:
        if name in extra:
            return str(extra[name])
        try:
            return str(capfirst(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            return name

    return label


def value_reader(*, statuses: type[models.TextChoices], date_fields: Iterable[str] = ()) -> Callable[[str, Any], Any]:
    """``readable`` for ``audit_history``: status labels, Jalali dates for ``date_fields``, grouped numbers."""
    from .jalali import format_short
    from .persian import ui_number

    dates = frozenset(date_fields)

    def readable(name: str, value):
        if value is None or value == "":
            return None
        if name == "status":
            try:
                return str(statuses(value).label)
            except ValueError:
                return value
        if name in dates:
            try:
                return format_short(dt.date.fromisoformat(value), persian=page_is_persian())
            except (TypeError, ValueError):
                return value
        if isinstance(value, int) and not isinstance(value, bool):
            return ui_number(value)
        return value

    return readable
