"""Steps shared by the branch services: collecting field errors, the future-date check, a
save with its history user, and the guards on an editable, active branch."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from party_branches.models import Branch
from party_branches.permissions import can_edit_branch
from party_branches.services.messages import BRANCH_DATE_FUTURE_MESSAGE, BRANCH_DISSOLVED_MESSAGE


def _add(errors: dict, field: str, message, **params) -> None:
    errors.setdefault(field, []).append(ValidationError(message, params=params or None))


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _names(items: Iterable) -> str:
    return "、".join(str(item) for item in items)


def _check_not_future(errors: dict, field: str, day: date) -> None:
    if day > timezone.localdate():
        _add(errors, field, BRANCH_DATE_FUTURE_MESSAGE)


def _save(instance, *, actor, reason: str = "", update_fields=None) -> None:
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    instance.save(update_fields=update_fields)


def _require_editable(actor, branch: Branch) -> None:
    if not can_edit_branch(actor, branch):
        raise PermissionDenied


def _require_active(branch: Branch, field: str = "branch") -> None:
    if branch.dissolved_on is not None:
        raise ValidationError({field: [ValidationError(BRANCH_DISSOLVED_MESSAGE)]})
