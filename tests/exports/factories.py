"""Factories of the exports tests: export jobs, and one hostile record of every ledger.

Names start with `export` so that the import tests can share this module without clashes.
"""

import datetime
from types import SimpleNamespace

import factory
from django.utils import timezone

from exports.models import ExportJob
from orgs.models import Membership, Organization
from scoring.models import Award, QuarterScore
from tests.accounts.factories import UserFactory
from tests.activities.factories import ActivityFactory
from tests.orgs.factories import CategoryFactory, MembershipFactory, PersonFactory
from tests.party_branches.factories import BranchFactory, MeetingFactory
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory

# Names a malicious or careless user could type into the ledger.
HOSTILE_NAME = '=HYPERLINK("http://x","y")'
HOSTILE_VALUES = (HOSTILE_NAME, "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR")
# A valid GB 11643 ID number ending in X (must stay text, X included).
EXPORT_ID_NUMBER = "11010519491231002X"
EXPORT_MOBILE = "13812345678"


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    kind = ExportJob.Kind.ORGANIZATIONS
    requested_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=72))


class ExportQuarterScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterScore

    year = 2026
    quarter = 2
    category = factory.LazyAttribute(lambda o: o.organization.category)
    township = factory.LazyAttribute(lambda o: o.organization.community.township)
    county = factory.LazyAttribute(lambda o: o.township.county)
    activities = 3
    activity_points = 15
    total = 15


def export_ledger_records(county):
    """One record of every ledger in org A1 (community A1) with hostile text, and one in B1."""
    category = CategoryFactory(name="文体娱乐类")
    hostile_org = county.org_a1
    Organization.objects.filter(pk=hostile_org.pk).update(
        short_name=HOSTILE_NAME,
        credit_code="",
        leader_name="+leader",
        leader_phone=EXPORT_MOBILE,
        address="-1 Road",
        category=category,
        registered_on=datetime.date(2016, 4, 5),
    )
    Organization.objects.filter(pk=county.org_b1.pk).update(category=category)
    hostile_org.refresh_from_db()
    person = PersonFactory(
        name=HOSTILE_NAME,
        id_number=EXPORT_ID_NUMBER,
        mobile=EXPORT_MOBILE,
        birth_date=datetime.date(1949, 12, 31),
        community=county.community_a1,
        notes="@notes",
    )
    MembershipFactory(
        organization=hostile_org,
        person=person,
        role=Membership.Role.LEADER,
        joined_on=datetime.date(2021, 3, 4),
    )
    MembershipFactory(organization=county.org_b1, joined_on=datetime.date(2022, 1, 1))
    branch = BranchFactory(
        name=HOSTILE_NAME, organizations=[hostile_org], township=county.township_a
    )
    BranchFactory(
        name="王家村临时党支部", organizations=[county.org_b1], township=county.township_b
    )
    MeetingFactory(branch=branch, topic="=1+1", held_on=datetime.date(2026, 5, 6))
    room = RoomFactory(
        center=ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    )
    far_room = RoomFactory(center=ServiceCenterFactory(community=county.community_b1))
    start = timezone.make_aware(datetime.datetime(2026, 5, 6, 9, 30))
    BookingFactory(
        room=room,
        organization=hostile_org,
        purpose="@purpose",
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    BookingFactory(
        room=far_room,
        organization=county.org_b1,
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    ActivityFactory(lead_organization=hostile_org, title=HOSTILE_NAME, place="-place", start=start,
                    end=start + datetime.timedelta(hours=2))  # fmt: skip
    ActivityFactory(lead_organization=county.org_b1, start=start)
    ExportQuarterScoreFactory(organization=hostile_org, rank_county=1, rank_category=1,
                              rank_township=1)  # fmt: skip
    ExportQuarterScoreFactory(organization=county.org_b1, rank_county=2, rank_category=2,
                              rank_township=1, total=10, activity_points=10)  # fmt: skip
    Award.objects.create(
        year=2026,
        category=category,
        organization=hostile_org,
        title=HOSTILE_NAME,
        annual_total=60,
        quarters_counted=4,
        rank_in_category=1,
    )
    Award.objects.create(
        year=2026,
        category=category,
        organization=county.org_b1,
        title="优秀社团",
        annual_total=50,
        quarters_counted=4,
        rank_in_category=2,
    )
    return SimpleNamespace(person=person, branch=branch, category=category)
