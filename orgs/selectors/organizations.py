"""Page-shaped reads of organisations, always starting from the user's scope."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, NamedTuple

from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Community
from core.collation import pinyin_order
from core.masking import mask_sensitive_text
from orgs.models import Organization, ZombieFlag
from orgs.models.organizations import GRADE_VALID_YEARS
from orgs.permissions import can_create_organization, ledger_keepers_condition

HISTORY_LIMIT = 50
HISTORY_KIND_CREATED = "created"
HISTORY_KIND_CHANGED = "changed"
HISTORY_KIND_DELETED = "deleted"
_HISTORY_KINDS = {
    "+": HISTORY_KIND_CREATED,
    "~": HISTORY_KIND_CHANGED,
    "-": HISTORY_KIND_DELETED,
}


# Not shown as "what it held before" when an edit has no earlier record to compare with.
_UNRECORDED_SKIP = frozenset({"id", "created_at", "updated_at"})


class _Change(NamedTuple):
    field: str
    old: object
    new: object


def _values_without_earlier_record(record) -> list[_Change]:
    """An edit with no earlier history row: every non-empty value it saved, shown as new.

    Records written in bulk before every record had its initial history row have none; rather
    than "saved without changes", the clerk sees what the record holds after this save.
    """
    changes = []
    for field in record.instance_type._meta.concrete_fields:
        if field.name in _UNRECORDED_SKIP or not hasattr(record, field.attname):
            continue
        value = getattr(record, field.attname)
        if value not in (None, ""):
            changes.append(_Change(field.name, None, value))
    return changes


def grade_expiry_cutoff(today: date) -> date:
    """Return the latest award date whose grade has expired by `today`.

    Mirrors Organization.grade_expires_on: a grade awarded on 29 February expires on
    28 February five years later.
    """
    year = today.year - GRADE_VALID_YEARS
    if today.month == 2 and today.day == 28:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    try:
        return today.replace(year=year)
    except ValueError:  # today is 29 February
        return date(year, 2, 28)


def grade_expired_condition(today: date | None = None) -> Q:
    """Q for organisations with a grade that is no longer valid (or has no award date)."""
    cutoff = grade_expiry_cutoff(today or timezone.localdate())
    return ~Q(grade="") & (Q(grade_awarded_on__isnull=True) | Q(grade_awarded_on__lte=cutoff))


GONE_STATUSES = (
    Organization.Status.MERGED,
    Organization.Status.DEREGISTERED,
    Organization.Status.REVOKED,
)


def open_zombie_flag() -> Exists:
    """Whether the organisation has a zombie flag waiting for review."""
    return Exists(
        ZombieFlag.objects.filter(organization=OuterRef("pk"), state=ZombieFlag.State.OPEN)
    )


def open_zombie_flag_set() -> Q:
    """Organisations with a zombie flag waiting for review, as one set condition.

    `pk IN (…)`: to count over many organisations, where the database answers it with one
    hashed subquery instead of an EXISTS per organisation.
    """
    return Q(
        pk__in=ZombieFlag.objects.filter(state=ZombieFlag.State.OPEN)
        .order_by()
        .values("organization_id")
    )


def suspected_zombie_condition(*, flagged: str | None = None, flag: Q | None = None) -> Q:
    """The one definition of a suspected zombie (the list, the overview's status chart and watch
    figure): an active organisation marked so, or with a zombie flag waiting for review.

    `flagged` names an annotation already holding `open_zombie_flag()` (for aggregates);
    `flag` is another condition for the flag (`open_zombie_flag_set()`).
    """
    if flag is None:
        flag = Q(**{flagged: True}) if flagged else Q(open_zombie_flag())
    return ~Q(status__in=GONE_STATUSES) & (Q(status=Organization.Status.SUSPECTED_ZOMBIE) | flag)


def organization_list(*, user):
    """Organisations the user may see, with member counts and every badge the list shows."""
    return (
        Organization.objects.visible_to(user)
        .select_related("community__township", "category", "ledger_keeper")
        .with_member_counts()
        .with_credit_flags()
        .annotate(
            grade_expired=ExpressionWrapper(grade_expired_condition(), output_field=BooleanField()),
            suspected_zombie=ExpressionWrapper(
                suspected_zombie_condition(), output_field=BooleanField()
            ),
        )
        .order_by(pinyin_order("name"), "pk")
    )


def organization_detail_queryset(*, user):
    """Organisations the user may open, with what the profile shows."""
    return (
        Organization.objects.visible_to(user)
        .select_related("community__township", "category", "ledger_keeper", "merged_into")
        .with_member_counts()
        .with_credit_flags()
    )


def organization_is_editable(*, user, organization: Organization) -> bool:
    """Tell whether the user may change the organisation's ledger entry."""
    return Organization.objects.editable_by(user).filter(pk=organization.pk).exists()


def organization_is_verifiable(*, user, organization: Organization) -> bool:
    """Tell whether the user may mark the entry verified: an editor, or its ledger keeper."""
    if organization_is_editable(user=user, organization=organization):
        return True
    return (
        user.is_authenticated
        and not user.is_read_only
        and organization.ledger_keeper_id == user.pk
        and Organization.objects.visible_to(user).filter(pk=organization.pk).exists()
    )


def organization_communities(*, user):
    """Communities in which the user may add or keep organisations."""
    if not can_create_organization(user):
        return Community.objects.none()
    return Community.objects.visible_to(user).select_related("township").order_by("code")


def ledger_keeper_candidates(*, user):
    """Active users who may keep ledger entries in the user's area: county admins and staff."""
    townships = organization_communities(user=user).values("township")
    return (
        User.objects.filter(is_active=True)
        .filter(ledger_keepers_condition(townships))
        .order_by("name", "username")
    )


def ledger_keepers_in_view(*, user):
    """Users keeping at least one organisation the user may see (for the list filter)."""
    kept = Organization.objects.visible_to(user).filter(ledger_keeper=OuterRef("pk"))
    return User.objects.filter(Exists(kept)).order_by("name", "username")


def record_history(instance, *, reveal: bool = False, formatters=None) -> list[dict]:
    """The newest HISTORY_LIMIT history entries of any record with simple-history."""
    records = instance.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[: HISTORY_LIMIT + 1]
    return history_entries(records, reveal=reveal, formatters=formatters)[:HISTORY_LIMIT]


def organization_history(*, organization: Organization, reveal: bool = False) -> list[dict]:
    """The organisation's change history, newest first, as readable entries."""
    return record_history(organization, reveal=reveal)


def history_entries(records, *, reveal: bool = False, formatters=None) -> list[dict]:
    """Turn simple-history records (newest first) into entries for partials/_history.html.

    Each entry is {when, who, kind, reason, earlier_unrecorded, changes: [{field, old, new}]}.
    Field names are the model's verbose names, choices show their labels and foreign keys the
    related object.
    Unless `reveal` is true, ID numbers and mobiles inside values are masked. The oldest
    record is compared with the one after it in `records`, so pass one record more than you
    show when the list is cut. `formatters` maps a field name to a function that renders its
    values instead (e.g. a birth date shown only as its year). An edit with no record before
    it (a row written in bulk without its initial history row) lists the values it saved, with
    `earlier_unrecorded` set so the page says the earlier values were not recorded.
    """
    formatters = formatters or {}
    records = list(records)
    # (history record, kind, changes): the changes are simple-history's or `_Change`s.
    deltas: list[tuple[Any, str, list[Any]]] = []
    unrecorded = set()
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        kind = _HISTORY_KINDS.get(record.history_type, HISTORY_KIND_CHANGED)
        if kind != HISTORY_KIND_CHANGED:
            deltas.append((record, kind, []))
        elif previous is None:
            unrecorded.add(record.history_id)
            deltas.append((record, kind, _values_without_earlier_record(record)))
        else:
            deltas.append((record, kind, record.diff_against(previous).changes))
    labels = _related_labels(deltas)
    entries = []
    for record, kind, changes in deltas:
        model = record.instance_type
        order = {field.name: position for position, field in enumerate(model._meta.fields)}
        changes = sorted(changes, key=lambda change: order.get(change.field, len(order)))
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": kind,
                "reason": record.history_change_reason or "",
                "earlier_unrecorded": record.history_id in unrecorded,
                "changes": [
                    {
                        "field": str(model._meta.get_field(change.field).verbose_name),
                        "old": _display(
                            model, change.field, change.old, labels, reveal, formatters
                        ),
                        "new": _display(
                            model, change.field, change.new, labels, reveal, formatters
                        ),
                    }
                    for change in changes
                ],
            }
        )
    return entries


def _related_labels(deltas) -> dict:
    """Fetch the names of every related object the changes mention, one query per model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for record, _kind, changes in deltas:
        for change in changes:
            field = record.instance_type._meta.get_field(change.field)
            if isinstance(field, models.ForeignKey):
                related = field.related_model
                assert not isinstance(related, str)  # "self" is resolved once the apps are ready
                wanted[related] |= {
                    value for value in (change.old, change.new) if value is not None
                }
    return {
        model: {pk: str(obj) for pk, obj in model._default_manager.in_bulk(pks).items()}
        for model, pks in wanted.items()
    }


def _display(model, field_name: str, value, labels: dict, reveal: bool, formatters) -> str:
    """Render one old or new value the way the profile shows it."""
    field = model._meta.get_field(field_name)
    if value is None or value == "":
        return ""
    if field_name in formatters:
        text = formatters[field_name](value)
    elif isinstance(field, models.ForeignKey):
        text = labels.get(field.related_model, {}).get(value, f"#{value}")
    elif field.choices:
        text = str(dict(field.flatchoices).get(value, value))
    elif isinstance(value, bool):
        text = _("Yes") if value else _("No")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if reveal else mask_sensitive_text(text)
