"""Bulk inserts for seeding and imports: ``bulk_create``, through COPY on PostgreSQL.

Django's ``bulk_create`` prepares every value of every row in Python and, on PostgreSQL,
sends them as arrays to ``INSERT … SELECT FROM UNNEST``: for the province demo's two million
activities most of the time went there. ``copy_create`` asks the table's sequence for the new
primary keys in one query, then streams the rows with ``COPY … FROM STDIN``, whose values
psycopg's C adapters write directly. The objects get their primary keys, as with
``bulk_create``. On other databases it is ``bulk_create`` itself (SQLite has no COPY, and its
inserts are cheap). No signals, no ``save()``, no history: like ``bulk_create``.
``insert_rows`` writes plain tuples the same way, for rows nobody needs as objects (audit rows).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import contextmanager
from operator import attrgetter

from django.db import connection, models, transaction

BATCH_SIZE = 20_000


def _row_reader(fields):
    """How to read an object's row of database values: one ``attrgetter`` for plain fields."""
    if len(fields) > 1 and not any(
        isinstance(field, models.JSONField | models.FileField) for field in fields
    ):
        return attrgetter(*(field.attname for field in fields))
    readers = _column_values(fields)
    return lambda obj: [read(obj) for read in readers]


def _column_values(fields):
    """For each field, how to read its database value from an object (fast for plain ones)."""
    readers = []
    for field in fields:
        if isinstance(field, models.JSONField | models.FileField):
            readers.append(
                lambda obj, field=field: field.get_db_prep_save(
                    getattr(obj, field.attname), connection
                )
            )
        else:
            readers.append(lambda obj, attname=field.attname: getattr(obj, attname))
    return readers


def copy_create(model, objects: Iterable[models.Model], *, batch_size: int = BATCH_SIZE) -> list:
    """Insert the objects (like ``model.objects.bulk_create``) and return them with their pks."""
    objects = list(objects)
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objects, batch_size=batch_size)
    meta = model._meta
    fields = list(meta.concrete_fields)
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="copy_create")
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                field.pre_save(obj, add=True)
    _assign_primary_keys(model, [obj for obj in objects if obj.pk is None])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    read = _row_reader(fields)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            with cursor.cursor.copy(sql) as copy:
                for obj in objects[start : start + batch_size]:
                    copy.write_row(read(obj))
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def _assign_primary_keys(model, objects: list) -> None:
    if not objects:
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk


def insert_rows(model, field_names: list[str], rows: Iterable[tuple]) -> int:
    """Insert plain rows (tuples of values for ``field_names``) without model instances.

    COPY on PostgreSQL; elsewhere one prepared ``INSERT`` run for every row (``executemany``).
    Values are as the fields hold them in Python; JSON values are encoded and date-times
    adapted here, as ``bulk_create`` would. No defaults are applied and nothing is returned:
    name every column that has no database default. Returns the number of rows.
    """
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    adapters = []
    for field in fields:
        if isinstance(field, models.JSONField):
            adapters.append(lambda value, field=field: json.dumps(value, cls=field.encoder))
        elif isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
            adapters.append(connection.ops.adapt_datetimefield_value)
        else:
            adapters.append(None)
    adapted = [(index, adapt) for index, adapt in enumerate(adapters) if adapt is not None]

    def prepared(row):
        values = list(row)
        for index, adapt in adapted:
            values[index] = adapt(values[index])
        return values

    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
            return count
        batch = [prepared(row) for row in rows]
        if batch:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})",  # noqa: S608
                batch,
            )
        return len(batch)


@contextmanager
def deferred_indexes(*models):
    """Drop the plain indexes of these models' tables, and build them again on leaving.

    For loading many rows into a table in one transaction: PostgreSQL maintains every index
    row by row as rows arrive (the province's activities paid ~70 µs a row for 13 indexes),
    while building an index over the loaded table is one sort. Only non-unique indexes that
    back no constraint are dropped: primary keys, unique indexes and constraints (foreign
    keys, exclusions) are kept and checked as before (the deferred foreign-key checks of the
    loaded rows run on leaving, rather than at the commit). Rebuilt with the same definitions, in
    the same transaction (a failure rolls the drop back too). A no-op on other databases.
    Queries inside the block run without the dropped indexes: load, do not look things up.
    """
    if connection.vendor != "postgresql" or not models:
        yield
        return
    tables = [model._meta.db_table for model in models]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE t.relname = ANY(%s) AND n.nspname = current_schema()
              AND NOT x.indisunique AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY t.relname, i.relname
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        yield
        # The loaded rows' deferred foreign-key checks must run before an index can be built
        # on their table: run them now, then defer again (Django creates its foreign keys
        # DEFERRABLE INITIALLY DEFERRED, and this project has no other deferrable constraint).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Enough memory for an index build to sort a few million keys without spilling.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def analyze() -> None:
    """Give PostgreSQL's planner the statistics of the project's tables after a bulk load
    (no-op elsewhere). Only the project's own tables: a bare `ANALYZE` also analyses the shared
    catalogs, whose locks are held until the transaction ends, so two databases loading at once
    (the test workers' fixtures) waited for each other."""
    if connection.vendor != "postgresql":
        return
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if not tables:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(quote(table) for table in sorted(tables)))
