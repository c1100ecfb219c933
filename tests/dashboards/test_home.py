"""Each role's home page shows the work waiting for that person, linked to the records."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.models import VerificationStatus
from orgs.models import AnnualInspection, CreditListing, Organization, ZombieFlag
from tests.activities.factories import ActivityFactory, FeedbackFactory
from tests.clock import pinned_clock
from tests.dashboards.factories import QuarterScoreFactory, RankingRunFactory
from tests.orgs.factories import OrganizationFactory
from tests.party_branches.factories import BranchFactory, InstructorFactory, make_branch
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory, open_every_day
from venues.models import Booking

# Each test runs at the instant the module was imported (see tests/clock.py).
NOW = timezone.now()
TODAY = timezone.localdate(NOW)
_clock = pinned_clock(NOW)


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_county_admin_sees_zombie_flags_and_ranking_runs(county_admin, county, client_as):
    from exports.models import ExportJob
    from tests.exports.factories import ExportJobFactory

    ZombieFlag.objects.create(organization=county.org_b1, reasons=["无成员"], flagged_on=TODAY)
    RankingRunFactory()
    mine = ExportJobFactory(requested_by=county_admin, status=ExportJob.Status.RUNNING, progress=40)
    ExportJobFactory()  # someone else's

    response = client_as(county_admin).get(reverse("home"))

    work = response.context["work"]
    assert work["zombie_count"] == 1
    assert len(work["ranking_runs"]) == 1
    assert work["export_jobs"] == [mine]
    page = response.content.decode()
    assert 'data-testid="work-export-jobs"' in page
    assert reverse("exports:export_detail", args=[mine.pk]) in page
    assert "(40%)" in page
    assert county.org_b1.name in page
    # the count links to the list of open flags, which holds the same number
    listed = client_as(county_admin).get(work["zombie_url"]).context["page"].paginator.count
    assert listed == 1


def test_township_staff_sees_stale_records_and_branches_behind(township_staff, county, client_as):
    county.org_a1.last_verified_on = TODAY - datetime.timedelta(days=100)
    county.org_a1.save()
    county.org_a2.last_verified_on = TODAY - datetime.timedelta(days=10)
    county.org_a2.save()
    OrganizationFactory(community=county.community_a2)  # never verified
    OrganizationFactory(
        community=county.community_a2, status=Organization.Status.MERGED, merged_into=county.org_a2
    )
    BranchFactory(
        organizations=[county.org_a1],
        township=county.township_a,
        established_on=TODAY - datetime.timedelta(days=200),
    )
    client = client_as(township_staff)

    work = client.get(reverse("home")).context["work"]

    assert work["stale_count"] == 2
    assert client.get(work["stale_url"]).context["page"].paginator.count == 2
    assert work["behind_count"] == 1
    board = client.get(work["behind_url"])
    assert board.context["behind"] == 1


def test_secretary_sees_bookings_to_approve_records_to_verify_and_today(
    secretary, county, client_as
):
    center = ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    open_every_day(center)
    room = RoomFactory(center=center, needs_approval=True)
    tomorrow = TODAY + datetime.timedelta(days=1)
    BookingFactory(
        room=room,
        organization=county.org_a1,
        start=at(tomorrow, 9),
        end=at(tomorrow, 10),
        status=Booking.Status.PENDING,
    )
    BookingFactory(room=room, organization=county.org_a1, start=at(TODAY, 22), end=at(TODAY, 23))
    ActivityFactory(lead_organization=county.org_a1)  # submitted
    ActivityFactory(lead_organization=county.org_b1)  # another township

    response = client_as(secretary).get(reverse("home"))

    work = response.context["work"]
    assert work["approval_count"] == 1
    assert work["verify_activity_count"] == 1
    assert len(work["todays_bookings"]) == 1
    assert 'data-testid="home-secretary"' in response.content.decode()


# The contact's card reads the clock (the quarter, last year's inspection, grades): it is
# tested at a fixed moment, 20 May 2026 at 10:30 local time (2026Q2).
MOMENT = datetime.datetime(2026, 5, 20, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
DAY = MOMENT.date()


@pytest.fixture
def fixed_clock():
    with time_machine.travel(MOMENT, tick=True):
        yield


@pytest.fixture
def registered_a1(county):
    organization = county.org_a1
    organization.registration_status = Organization.RegistrationStatus.REGISTERED
    organization.registered_on = datetime.date(2015, 3, 1)
    organization.save()
    return organization


def test_org_contact_sees_score_bookings_and_what_is_missing(
    org_contact, county, client_as, fixed_clock
):
    QuarterScoreFactory(
        organization=county.org_a1, total=61.5, rank_county=3, previous_rank_county=5
    )
    tomorrow = DAY + datetime.timedelta(days=1)
    BookingFactory(
        organization=county.org_a1,
        booked_by=org_contact,
        start=at(tomorrow, 9),
        end=at(tomorrow, 10),
    )

    work = client_as(org_contact).get(reverse("home")).context["work"]

    assert float(work["score"].total) == 61.5
    assert work["booking_count"] == 1
    # A group only filed (not registered) takes no annual inspection.
    assert [gap.key for gap in work["missing"]] == ["branch", "activity", "rating"]


def test_the_card_lists_every_gap_with_what_to_do(
    org_contact, county, registered_a1, client_as, fixed_clock
):
    # The organisation of the issue: on the abnormal list, no-shows, last year's inspection
    # not taken, this year's failed, an expired grade and a branch far behind.
    organization = registered_a1
    organization.grade = Organization.Grade.A3
    organization.grade_awarded_on = datetime.date(2020, 4, 1)
    organization.save()
    CreditListing.objects.create(
        organization=organization,
        list_kind=CreditListing.Kind.ABNORMAL,
        reason="未按时年报",
        listed_on=datetime.date(2026, 3, 1),
    )
    for day in (2, 3, 4):
        start = at(datetime.date(2026, 4, day), 9)
        BookingFactory(
            organization=organization,
            start=start,
            end=start + datetime.timedelta(hours=1),
            status=Booking.Status.NO_SHOW,
        )
    AnnualInspection.objects.create(
        organization=organization, year=2025, conclusion=AnnualInspection.Conclusion.NOT_INSPECTED
    )
    AnnualInspection.objects.create(
        organization=organization, year=2026, conclusion=AnnualInspection.Conclusion.FAILED
    )
    branch = make_branch([organization], established_on=datetime.date(2025, 1, 10))

    response = client_as(org_contact).get(reverse("home"))
    gaps = response.context["work"]["missing"]

    assert [gap.key for gap in gaps] == [
        "abnormal_list",
        "failed_inspection",
        "no_show",
        "inspection",
        "grade_expired",
        "branch_behind",
        "activity",
        "rating",
    ]
    by_key = {gap.key: gap for gap in gaps}
    assert by_key["abnormal_list"].text == "本季度列入活动异常名录（-20 分）"
    assert by_key["no_show"].text == "本季度 3 次预约未到场（-6 分）"
    assert by_key["failed_inspection"].text == "2026 年度年检不合格（本年度 -10 分）"
    assert by_key["inspection"].text == "2025 年度年检：未参检"
    assert by_key["grade_expired"].text == "评估等级 3A 已于 2025-04-01 过期"
    assert by_key["branch_behind"].text.startswith(f"临时党支部“{branch.name}”：本季度还差 ")
    assert by_key["rating"].text == "2026年第二季度 尚无群众评价（满意度 0 分）"
    assert all(gap.todo and gap.url for gap in gaps)
    page = response.content.decode()
    assert "没有缺项" not in page
    assert by_key["abnormal_list"].todo in page


def test_the_card_says_well_done_only_without_any_gap(
    org_contact, county, registered_a1, client_as, fixed_clock
):
    AnnualInspection.objects.create(
        organization=registered_a1, year=2025, conclusion=AnnualInspection.Conclusion.PASSED
    )
    InstructorFactory(organization=registered_a1)
    activity = ActivityFactory(
        lead_organization=registered_a1,
        start=at(datetime.date(2026, 4, 10), 9),
        status=VerificationStatus.VERIFIED,
    )
    FeedbackFactory(activity=activity, created_at=at(datetime.date(2026, 4, 11), 9))

    response = client_as(org_contact).get(reverse("home"))

    assert response.context["work"]["missing"] == []
    assert "没有缺项，做得好！" in response.content.decode()


def test_official_home_is_the_overview(official, county, client_as):
    response = client_as(official).get(reverse("home"))

    assert response.context["figures"]["organizations"]["total"] == 3
    assert 'data-testid="home-official"' in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["county_admin", "township_staff", "secretary", "official", "org_contact"],
    indirect=True,
)
def test_home_page_runs_a_bounded_number_of_queries(
    persona, county, client_as, django_assert_max_num_queries
):
    for _index in range(20):
        organization = OrganizationFactory(community=county.community_a1)
        ZombieFlag.objects.create(organization=organization, reasons=["无成员"], flagged_on=TODAY)
        ActivityFactory(lead_organization=organization)
    client = client_as(persona)

    with django_assert_max_num_queries(40):
        assert client.get(reverse("home")).status_code == 200
