"""Writes every app needs: the audit trail."""

from django.db import models

from core.models import AuditEvent


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
