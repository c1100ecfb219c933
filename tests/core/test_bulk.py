"""copy_create inserts like bulk_create (COPY on PostgreSQL): keys, values, defaults, relations."""

import datetime
from decimal import Decimal

from django.utils import timezone

from activities.models import Activity
from core.bulk import copy_create, insert_rows
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
