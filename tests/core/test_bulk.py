"""copy_create inserts like bulk_create (COPY on PostgreSQL): keys, values, defaults, relations."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from activities.models import Activity
from core.bulk import copy_create, deferred_indexes, insert_rows
from core.models import AuditEvent
from tests.accounts.factories import UserFactory


def test_rows_get_their_keys_and_keep_every_value(county):
    # Given unsaved objects with a JSON value, a related object, an enum and an empty field
    actor = UserFactory()
    events = [
        AuditEvent(
            actor=actor if index % 2 else None,
            action="demo.seed",
            object_type="organization",
            object_id=str(index),
            summary=f"「需要排练场地，缺少音响」{index}",
            changes={"name": ["旧", f"新{index}"], "n": index},
        )
        for index in range(5)
    ]

    # When they are inserted in bulk
    created = copy_create(AuditEvent, events, batch_size=2)

    # Then each has its key, and the database holds exactly what the objects held
    assert [event.pk for event in created] == sorted({event.pk for event in created})
    assert all(event.pk is not None and not event._state.adding for event in created)
    stored = {event.pk: event for event in AuditEvent.objects.filter(action="demo.seed")}
    assert len(stored) == 5
    for event in created:
        row = stored[event.pk]
        assert row.summary == event.summary
        assert row.changes == event.changes
        assert row.actor_id == event.actor_id
        assert row.at is not None  # auto_now_add was applied
    # And the table's sequence moved on: an ordinary save gets a fresh key
    later = AuditEvent.objects.create(action="demo.after", object_type="x", object_id="1")
    assert later.pk > max(stored)


def test_activities_with_decimals_dates_and_choices(county):
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30))
    activity = Activity(
        lead_organization=county.org_a1,
        community_served=county.community_a1,
        kind=Activity.Kind.CULTURE_SPORTS,
        title="广场舞展演",
        start=start,
        end=start + datetime.timedelta(hours=2),
        beneficiaries=120,
        volunteer_hours=Decimal("12.50"),
    )

    copy_create(Activity, [activity])

    stored = Activity.objects.get(pk=activity.pk)
    assert stored.kind == Activity.Kind.CULTURE_SPORTS
    assert stored.start == start
    assert stored.volunteer_hours == Decimal("12.50")
    assert stored.lead_organization_id == county.org_a1.pk


def test_insert_rows_writes_plain_tuples_with_json_and_times(county):
    # Given rows as tuples, one with an actor, JSON with Chinese text, one instant
    actor = UserFactory()
    at = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30))
    rows = [
        (
            at,
            actor.pk if index else None,
            "demo.rows",
            "orgs.person",
            str(index),
            f"张三{index}",
            {"reused": bool(index), "role": "member", "person": index},
        )
        for index in range(3)
    ]

    # When they are inserted without model instances
    count = insert_rows(
        AuditEvent,
        ["at", "actor", "action", "object_type", "object_id", "summary", "changes"],
        iter(rows),
    )

    # Then the table holds each as given, with keys from the table's sequence
    assert count == 3
    stored = list(AuditEvent.objects.filter(action="demo.rows").order_by("object_id"))
    assert [(e.at, e.actor_id, e.summary, e.changes) for e in stored] == [
        (row[0], row[1], row[5], row[6]) for row in rows
    ]
    later = AuditEvent.objects.create(action="demo.after", object_type="x", object_id="1")
    assert later.pk > max(e.pk for e in stored)
    assert insert_rows(AuditEvent, ["action"], []) == 0


# COPY goes through psycopg's own cursor: its errors are not wrapped in Django's.
try:
    import psycopg

    INTEGRITY_ERRORS = (IntegrityError, psycopg.IntegrityError)
except ImportError:  # pragma: no cover
    INTEGRITY_ERRORS = (IntegrityError,)


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_deferred_indexes_load_without_plain_indexes_and_rebuild_them(county):
    # Given the activities table with its indexes
    table = Activity._meta.db_table
    before = _indexes(table) if connection.vendor == "postgresql" else {}
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30))

    def activity(token):
        return Activity(
            lead_organization=county.org_a1,
            community_served=county.community_a1,
            kind=Activity.Kind.CULTURE_SPORTS,
            title="广场舞展演",
            start=start,
            end=start + datetime.timedelta(hours=2),
            feedback_token=token,
        )

    # When rows are loaded inside the block
    with deferred_indexes(Activity):
        during = _indexes(table) if connection.vendor == "postgresql" else {}
        copy_create(Activity, [activity("t1"), activity("t2")])

    # Then the rows are there, and the same indexes again, with the same definitions
    assert Activity.objects.filter(feedback_token__in=["t1", "t2"]).count() == 2
    if connection.vendor == "postgresql":
        assert _indexes(table) == before
        dropped = set(before) - set(during)
        assert "activity_list_order_idx" in dropped  # a plain index was dropped meanwhile
        assert f"{table}_pkey" in during  # keys, unique indexes and constraints stayed
        assert any(name.endswith("feedback_token_key") for name in during)
    # And uniqueness is still checked while the indexes are away
    with pytest.raises(INTEGRITY_ERRORS), transaction.atomic(), deferred_indexes(Activity):
        copy_create(Activity, [activity("t1")])


def test_deferred_indexes_still_check_the_loaded_rows_foreign_keys(county):
    # Given a row pointing at an organisation that does not exist
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30))
    orphan = Activity(
        lead_organization_id=987_654,
        community_served=county.community_a1,
        kind=Activity.Kind.CULTURE_SPORTS,
        title="广场舞展演",
        start=start,
        end=start + datetime.timedelta(hours=2),
    )

    # When it is loaded in the block, Then the foreign key fails (on leaving, on PostgreSQL)
    with pytest.raises(INTEGRITY_ERRORS), transaction.atomic(), deferred_indexes(Activity):
        copy_create(Activity, [orphan])
        if connection.vendor != "postgresql":
            connection.check_constraints()  # SQLite checks them when asked (at the commit)
