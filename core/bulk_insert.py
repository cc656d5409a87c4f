"""Tens of thousands of new rows of one model at once (an allocation run's quotas and their audit entries).

Django's ``bulk_create`` builds a model instance per row and sends every field of
every row through the field API: about 15-50 µs a row, so a scarce country's run
of 50,000 offers spent seconds there, inside its locks. ``insert_rows`` takes a
template instance for what all rows share and plain tuples for what varies:

- the shared columns are prepared once, by the fields themselves (defaults,
  ``auto_now_add``, ``get_db_prep_save``), exactly as ``bulk_create`` would;
- a varying column's value is prepared by its field once per distinct value;
- on PostgreSQL the ids are drawn from the table's sequence first (in the
  caller's transaction: a rollback leaves a gap in the numbering, nothing else)
  and the rows go in with COPY. Other databases, and models this shortcut does
  not understand (inheritance, database defaults, generated columns), get
  instances and plain ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models, router
from django.db.models import NOT_PROVIDED

FALLBACK_BATCH = 1000


def insert_rows(
    model: type[models.Model], *, template: models.Model, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[int]:
    """Insert one row per item of ``rows``: ``template``'s values, except ``columns`` (attnames) taken from the item.

    Returns the new ids, in the order of ``rows``. No signals and no ``save()``,
    as with ``bulk_create``. A varying column may not be one whose field sets its
    own value on insert (``auto_now_add``); ``template`` is left holding the values
    such fields set, as written (to the microsecond on PostgreSQL).
    """
    rows = list(rows)
    if not rows:
        return []
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    fields = [field for field in meta.local_concrete_fields if field is not meta.pk]
    by_attname = {field.attname: field for field in fields}
    varying = [by_attname[name] for name in columns]
    if any(_sets_own_value(field) for field in varying):
        raise ValueError("insert_rows: a column whose field sets its own value on insert cannot vary per row")
    if connection.vendor != "postgresql" or not _copyable(meta, fields):
        return _with_bulk_create(model, template, columns, rows, alias)
    position = {name: index for index, name in enumerate(columns)}
    constant = {
        field.attname: field.get_db_prep_save(field.pre_save(template, add=True), connection)
        for field in fields
        if field.attname not in position
    }
    layout: list[tuple[bool, Any]] = []  # (varies, column index or prepared constant), in table column order
    for field in fields:
        if field.attname in position:
            layout.append((True, position[field.attname]))
        else:
            layout.append((False, constant[field.attname]))
    prepare = [_preparer(field, connection) for field in varying]
    quote = connection.ops.quote_name
    with connection.wrap_database_errors, connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        names = ", ".join(quote(field.column) for field in (meta.pk, *fields))
        with cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:  # our own names
            for new_id, row in zip(ids, rows, strict=True):
                values = [prep(value) for prep, value in zip(prepare, row, strict=True)]
                copy.write_row([new_id, *(values[item] if varies else item for varies, item in layout)])
    return ids


def _sets_own_value(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _copyable(meta, fields: list[models.Field]) -> bool:
    if meta.parents or not isinstance(meta.pk, models.AutoField):  # AutoField covers Big/Small (metaclass)
        return False
    return not any(getattr(field, "generated", False) or field.db_default is not NOT_PROVIDED for field in fields)


def _preparer(field: models.Field, connection) -> Callable[[Any], Any]:
    """The field's database value for a Python value, computed once per distinct value."""
    prepared: dict[tuple[type, Any], Any] = {}

    def prepare(value: Any) -> Any:
        try:
            return prepared[(type(value), value)]
        except KeyError:
            result = prepared[(type(value), value)] = field.get_db_prep_save(value, connection)
            return result
        except TypeError:  # unhashable (a JSON field's dict): prepared each time
            return field.get_db_prep_save(value, connection)

    return prepare


def _with_bulk_create(model, template, columns, rows, alias) -> list[int]:
    shared = {  # pre_save as on PostgreSQL: the template keeps the values its fields set (auto_now_add)
        field.attname: field.pre_save(template, add=True)
        for field in model._meta.local_concrete_fields
        if field is not model._meta.pk and field.attname not in columns
    }
    objs = [model(**shared, **dict(zip(columns, row, strict=True))) for row in rows]
    model._default_manager.db_manager(alias).bulk_create(objs, batch_size=FALLBACK_BATCH)
    return [obj.pk for obj in objs]
