"""Initial history rows: every history-tracked row has its "+" row, however it was written.

django-simple-history writes a history row on ``save()``; ``bulk_create`` and ``update()`` write
none. A record without its initial row shows its first edit as a change from nothing. The seeder
calls ``write_initial_history`` for every tracked model once its rows are written; the data
migrations call it with the migration's historical models, so an installation seeded earlier
gets the rows too.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

BATCH_SIZE = 5_000
HISTORY_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)


def tracked_models() -> list:
    """Every model of the project with HistoricalRecords, in app order."""
    from django.apps import apps
    from simple_history.models import registered_models

    registered = set(registered_models.values())
    return [model for model in apps.get_models() if model in registered]


def history_model_of(model):
    """The historical model django-simple-history made for ``model``."""
    return model.history.model


def write_initial_history(
    model, history_model=None, *, when=None, batch_size: int = BATCH_SIZE
) -> int:
    """Give every row of ``model`` that has no history row its initial "+" row; return how many.

    Works with the runtime models and with a migration's historical models (pass both). The
    row's ``created_at`` dates its initial row when the model has one, else ``when`` (now).
    Rows are read as plain values in primary-key order, a batch at a time, and written with
    one bulk insert per batch.
    """
    history_model = history_model or history_model_of(model)
    when = when or timezone.now()
    pk_name = model._meta.pk.attname
    copied = [
        field.attname
        for field in history_model._meta.concrete_fields
        if field.name not in HISTORY_FIELDS
    ]
    has_created_at = any(field.name == "created_at" for field in model._meta.concrete_fields)
    without_history = (
        model._default_manager.annotate(
            _has_history=Exists(history_model._default_manager.filter(**{pk_name: OuterRef("pk")}))
        )
        .filter(_has_history=False)
        .order_by("pk")
    )
    written = 0
    last_pk = None
    while True:
        batch = without_history if last_pk is None else without_history.filter(pk__gt=last_pk)
        rows = list(batch.values_list(*copied)[:batch_size])
        if not rows:
            return written
        history_model._default_manager.bulk_create(
            [_initial_row(history_model, copied, row, when, has_created_at) for row in rows],
            batch_size=batch_size,
        )
        written += len(rows)
        last_pk = rows[-1][copied.index(pk_name)]


def _initial_row(history_model, copied: list[str], row: tuple, when, has_created_at: bool):
    values = dict(zip(copied, row, strict=True))
    return history_model(
        **values,
        history_type="+",
        history_date=(values.get("created_at") if has_created_at else None) or when,
    )


def write_all_initial_history(*, when=None) -> dict[str, int]:
    """Write the initial history rows of every tracked model; return the counts by model."""
    return {
        model._meta.label: write_initial_history(model, when=when) for model in tracked_models()
    }
