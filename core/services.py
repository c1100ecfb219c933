"""Writes every app needs: the audit trail and the update of a record."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import models

from core.history import stamp_change
from core.models import AuditEvent

M = TypeVar("M", bound=models.Model)


def audit_record(
    *, actor, action: str, obj: models.Model, summary: str = "", changes: dict | None = None
) -> AuditEvent:
    """Write one audit event for a change to `obj`; call inside the change's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:500],
        changes=changes or {},
    )


def field_changes(instance: models.Model, data: dict) -> dict:
    """Describe which of `data`'s fields differ from the instance, as {field: [old, new]}."""
    changes = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def model_update(
    instance: M,
    data: dict,
    *,
    actor,
    action: str,
    summary: str = "",
    validate: Callable[[M], None] | None = None,
    also_save: Iterable[str] = (),
    describe: Callable[[dict], dict] | None = None,
) -> dict:
    """Apply `data` to the instance, validate it, and save what changed with its audit row.

    The one update sequence of the services: the changes are read before the fields are
    set; `validate` (the app's cross-field rules) and `full_clean` run on the changed
    instance whether or not anything changed; only when something did is the instance saved
    (the changed fields and `also_save`, e.g. "updated_at"), its history row attributed to
    the actor, and one audit row written, its changes passed through `describe` (to mask
    identifiers). Call it inside the service's transaction. Returns the changes.
    """
    changes = field_changes(instance, data)
    for field, value in data.items():
        setattr(instance, field, value)
    if validate is not None:
        validate(instance)
    instance.full_clean()
    if changes:
        stamp_change(instance, user=actor)
        instance.save(update_fields=[*changes, *also_save])
        audit_record(
            actor=actor,
            action=action,
            obj=instance,
            summary=summary or str(instance),
            changes=describe(changes) if describe else changes,
        )
    return changes
