"""The demo's roll-ups: at city and province scale written with COPY, the same rows as a rebuild."""

import datetime
from decimal import Decimal

import pytest

from activities.models import Activity, VerificationStatus
from core.demo import DemoContext
from rollups.demo import seed_rollups
from rollups.models import ActivityMonth
from tests.rollups.test_services import at, recounted, rolled_up


@pytest.mark.parametrize("scale", ["county", "city"])
def test_seeded_rollups_equal_the_records(county, scale):
    # Given records written in bulk, past the services (as the seeders do)
    for month, hour in ((3, 9), (3, 23), (4, 10)):
        Activity.objects.create(
            lead_organization=county.org_a1 if hour != 10 else county.org_a2,
            kind=Activity.Kind.CULTURE_SPORTS,
            title="送戏下乡",
            start=at(datetime.date(2026, month, 30), hour),
            end=at(datetime.date(2026, month, 30), hour, 50),
            community_served=county.community_a2,
            beneficiaries=5,
            volunteer_hours=Decimal("1.5"),
            status=VerificationStatus.VERIFIED,
        )
    context = DemoContext(scale=scale, seed=1, password="x")

    # When the demo's roll-ups are seeded
    seed_rollups(context)

    # Then the tables hold what a rebuild computes from the records, and the summary says so
    assert rolled_up() == recounted()
    assert ActivityMonth.objects.count() == 2
    assert context.summary == [f"月度汇总 {ActivityMonth.objects.count()} 行"]
