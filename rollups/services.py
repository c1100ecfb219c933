"""Keeping the roll-ups: shares applied as deltas in the writer's transaction, and rebuilds.

A *share* is what one record adds to one roll-up row: (model, key, figures). A service that
changes a record takes the record's shares before and after the change and calls
`apply_shares(before=..., after=...)`: the difference is added with one
`INSERT ... ON CONFLICT DO UPDATE SET figure = figure + excluded.figure` per row touched, which is
atomic under concurrent writers on PostgreSQL and SQLite alike, and rolls back with the writer.

The apps whose records are rolled up register a *source* in their `AppConfig.ready()`: the model
it fills and a function yielding the roll-up rows computed from the records. `rebuild()` replaces
every table's rows with those, idempotently.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, models, transaction
from django.utils import timezone

BATCH_SIZE = 5_000


class Share(NamedTuple):
    """What one record adds to one roll-up row."""

    model: type[models.Model]
    key: tuple[tuple[str, object], ...]
    figures: dict[str, int]


def share(model: type[models.Model], key: dict, **figures: int) -> Share:
    return Share(model, tuple(sorted(key.items())), figures)


def month_of(moment: datetime.date | datetime.datetime) -> datetime.date:
    """The first day of the local month holding a date or an aware datetime."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)


def _deltas(before: Iterable[Share], after: Iterable[Share]) -> dict:
    rows: dict = {}
    for sign, shares in ((-1, before), (1, after)):
        for item in shares:
            figures = rows.setdefault((item.model, item.key), {})
            for name, value in item.figures.items():
                figures[name] = figures.get(name, 0) + sign * value
    return rows


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{model._meta.label}.{name} is not a column")
    return field.column


def _upsert(model: type[models.Model], key: tuple, figures: dict[str, int]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_columns = [_column(model, name) for name, _value in key]
    figure_columns = [_column(model, name) for name in figures]
    columns = ", ".join(quote(column) for column in [*key_columns, *figure_columns])
    placeholders = ", ".join(["%s"] * (len(key_columns) + len(figure_columns)))
    updates = ", ".join(
        f"{quote(column)} = {table}.{quote(column)} + excluded.{quote(column)}"
        for column in figure_columns
    )
    conflict = ", ".join(quote(column) for column in key_columns)
    # Only quoted column and table names of our own models are interpolated; values are params.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(value for _name, value in key), *figures.values()])


def apply_shares(*, before: Iterable[Share] = (), after: Iterable[Share] = ()) -> int:
    """Add what changed between a record's shares before and after; return the rows touched."""
    touched = 0
    # A stable order of rows, so two writers touching the same rows lock them in the same order.
    deltas = _deltas(before, after)
    for (model, key), figures in sorted(
        deltas.items(), key=lambda item: (item[0][0]._meta.label, repr(item[0][1]))
    ):
        if any(figures.values()):
            _upsert(model, key, figures)
            touched += 1
    return touched


# --- Sources and rebuilds ------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A roll-up table and how to compute its rows from the records (an iterable of dicts)."""

    model: type[models.Model]
    rows: Callable[[], Iterable[dict]]


SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> Source:
    """Declare a roll-up table's source (from the AppConfig.ready() of the app of the records)."""
    SOURCES[source.model._meta.label] = source
    return source


def _lock(model: type[models.Model]) -> None:
    # Writers wait while the table is rebuilt, so none adds a delta to a row being replaced
    # (SQLite serialises writers anyway).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE"
            )


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Recompute every registered roll-up table from the records; return the rows written."""
    written = {}
    for label, source in sorted(SOURCES.items()):
        _lock(source.model)
        source.model._default_manager.all().delete()
        batch: list[models.Model] = []
        count = 0
        for row in source.rows():
            batch.append(source.model(**row))
            if len(batch) >= BATCH_SIZE:
                source.model._default_manager.bulk_create(batch)
                count += len(batch)
                batch = []
        source.model._default_manager.bulk_create(batch)
        written[label] = count + len(batch)
    return written
