"""Concurrent writers add to the same roll-up row without losing a count.

Each thread verifies its own activity (same organisation, community and month) on its own
connection, all released at once: the upsert adds every delta. Runs on the suite's database
(SQLite by default; PostgreSQL with DATABASE_URL).
"""

import datetime
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from accounts.roles import Role
from activities.models import VerificationStatus
from activities.services import activity_verify
from rollups.models import ActivityMonth
from tests.accounts.factories import UserFactory
from tests.activities.factories import ActivityFactory
from tests.areas.factories import CommunityFactory, TownshipFactory
from tests.orgs.factories import OrganizationFactory
from tests.rollups.test_services import recounted, rolled_up

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


def test_concurrent_verifications_of_one_month_all_count():
    # given sixteen submitted activities of one organisation, community and month
    township = TownshipFactory(name="城关街道", code="990101001")
    community = CommunityFactory(township=township, name="幸福社区", code="990101001001")
    organization = OrganizationFactory(name="幸福社区合唱团", community=community)
    admin = UserFactory(role=Role.COUNTY_ADMIN)
    start = timezone.make_aware(datetime.datetime(2026, 3, 10, 9))
    activities = [
        ActivityFactory(
            lead_organization=organization,
            start=start + datetime.timedelta(hours=index),
            end=start + datetime.timedelta(hours=index + 1),
            beneficiaries=index,
            volunteer_hours=Decimal("0.5"),
            status=VerificationStatus.SUBMITTED,
        )
        for index in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    outcomes = [None] * THREADS

    def verify(index):
        try:
            barrier.wait(timeout=30)
            activity_verify(actor=admin, activity=activities[index], confirm_empty=True)
            outcomes[index] = "verified"
        except Exception as error:  # noqa: BLE001 - every failure is an outcome to count
            outcomes[index] = type(error).__name__
        finally:
            connections.close_all()

    # when they are all verified at once, each on its own connection
    threads = [threading.Thread(target=verify, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then every verification counts once in the one roll-up row
    assert Counter(outcomes) == Counter({"verified": THREADS})
    row = ActivityMonth.objects.get()
    assert (row.activities, row.beneficiaries, row.volunteer_tenths) == (
        THREADS,
        sum(range(THREADS)),
        5 * THREADS,
    )
    assert rolled_up() == recounted()
