"""Many rows written in few statements, for the syncs' bulk writes.

Django's bulk_update builds a CASE per column per row, and bulk_create with
update_conflicts compiles every row's placeholders through the ORM and reads each
new id back; on SQLite both also keep to 999 parameters a statement, a limit
SQLite dropped long ago. For a sync's thousands of rows that cost more than the
writes: an endpoints poll spent most of its time there. These write the same rows
as one statement a batch, each value prepared by its field as Django saves it
(Decimal, JSON, aware datetimes):

- `rows_update`: UPDATE ... FROM (VALUES ...) joined on the primary key (SQLite
  since 3.33, PostgreSQL);
- `rows_upsert`: INSERT ... ON CONFLICT (a natural key) DO UPDATE.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

# Rows a statement at most (fewer when they are wide: see _batch_rows).
BATCH = 1000
# PostgreSQL's wire protocol counts parameters in 16 bits.
POSTGRESQL_PARAMETERS = 65_535


def rows_update(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Set `columns` of many rows, each given as (pk, *values)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [_field(model, name) for name in columns]
    table = quote(model._meta.db_table)
    primary = model._meta.pk
    assert primary is not None
    pk = quote(_column(primary))
    if connection.vendor == "postgresql":
        # PostgreSQL types a VALUES list from its first row: cast each column.
        names = ", ".join(quote(_column(f)) for f in fields)
        setters = ", ".join(
            f"{quote(_column(f))} = v.{quote(_column(f))}::{f.db_type(connection)}"
            for f in fields
        )
        alias, key = f"v(id, {names})", f"v.id::{primary.db_type(connection)}"
    else:
        # SQLite names a VALUES list's columns column1, column2, ...
        setters = ", ".join(
            f"{quote(_column(f))} = v.column{n}" for n, f in enumerate(fields, start=2)
        )
        alias, key = "v", "v.column1"
    width = len(fields) + 1
    with connection.cursor() as cursor:
        for batch in batches(rows, _batch_rows(connection, width)):
            params = []
            for pk_value, *values in batch:
                params.append(pk_value)
                params.extend(
                    f.get_db_prep_save(value, connection)
                    for f, value in zip(fields, values, strict=True)
                )
            cursor.execute(
                f"UPDATE {table} SET {setters} "
                f"FROM (VALUES {_placeholders(width, len(batch))}) AS {alias} "
                f"WHERE {table}.{pk} = {key}",
                params,
            )


def objects_update(objects: Sequence[models.Model], columns: Iterable[str]) -> None:
    """Write `columns` of these saved objects (one model), as bulk_update would."""
    if not objects:
        return
    model = type(objects[0])
    names = list(columns)
    attnames = [_field(model, name).attname for name in names]
    rows_update(
        model,
        names,
        [(o.pk, *(getattr(o, a) for a in attnames)) for o in objects],
    )


def rows_upsert(
    model: type[models.Model],
    rows: Sequence[models.Model],
    unique: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert new objects, or overwrite `update` where the natural key `unique`
    exists already. Their ids are not read back."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    key = ", ".join(quote(_column(_field(model, name))) for name in unique)
    changed = [quote(_column(_field(model, name))) for name in update]
    action = (
        "UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in changed)
        if changed
        else "NOTHING"
    )
    insert = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(_column(f)) for f in fields)}) VALUES "
    )
    with connection.cursor() as cursor:
        for batch in batches(rows, _batch_rows(connection, len(fields))):
            params = [
                f.get_db_prep_save(f.pre_save(row, add=True), connection)
                for row in batch
                for f in fields
            ]
            cursor.execute(
                insert
                + _placeholders(len(fields), len(batch))
                + f" ON CONFLICT ({key}) DO {action}",
                params,
            )


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.concrete, name
    return field


def _column(field: models.Field[Any, Any]) -> str:
    assert field.column is not None, field
    return field.column


def _placeholders(width: int, count: int) -> str:
    return ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * count)


def _batch_rows(connection: BaseDatabaseWrapper, width: int) -> int:
    """Rows a statement, within the database's limit on parameters."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit: int = connection.connection.getlimit(
            sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
        )
    else:
        limit = POSTGRESQL_PARAMETERS
    return max(1, min(BATCH, limit // max(1, width)))


def batches(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    """`items` in slices of `size` (the last one shorter)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
