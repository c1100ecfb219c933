"""Tried as a new user would: each role logs in and finds the work waiting on the home page.

Screenshots (phone-sized and desktop) go to tests/e2e/screenshots as CI artefacts.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from activities.models import VerificationStatus
from orgs.models import ZombieFlag
from tests.accounts.factories import UserFactory
from tests.activities.factories import ActivityFactory
from tests.dashboards.factories import QuarterScoreFactory, RankingRunFactory
from tests.e2e.browser import log_in
from tests.venues.factories import BookingFactory, RoomFactory, ServiceCenterFactory, open_every_day
from venues.models import Booking

pytestmark = pytest.mark.e2e

TODAY = timezone.localdate()
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def work(county):
    """Something waiting for every role."""
    cache.clear()
    ZombieFlag.objects.create(organization=county.org_b1, reasons=["无成员"], flagged_on=TODAY)
    RankingRunFactory()
    center = ServiceCenterFactory(community=county.community_a1, name="幸福社区党群服务站")
    open_every_day(center)
    room = RoomFactory(center=center, name="多功能活动室", needs_approval=True)
    tomorrow = TODAY + datetime.timedelta(days=1)
    BookingFactory(
        room=room,
        organization=county.org_a1,
        start=timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(9))),
        end=timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(11))),
        status=Booking.Status.PENDING,
    )
    ActivityFactory(lead_organization=county.org_a1, title="重阳节敬老活动")
    ActivityFactory(
        lead_organization=county.org_a2,
        start=timezone.make_aware(
            datetime.datetime.combine(TODAY.replace(day=1), datetime.time(8))
        ),
        status=VerificationStatus.VERIFIED,
    )
    QuarterScoreFactory(organization=county.org_a1, total=66, rank_county=1, previous_rank_county=2)
    yield county
    cache.clear()


@pytest.mark.parametrize(
    ("role", "area", "home", "item"),
    [
        (Role.COUNTY_ADMIN, {}, "home-county-admin", "count-zombies"),
        (Role.TOWNSHIP_STAFF, {"township": "a"}, "home-township-staff", "count-stale"),
        (Role.SECRETARY, {"community": "a1"}, "home-secretary", "count-approvals"),
        (Role.ORG_CONTACT, {"organization": "a1"}, "home-org-contact", "missing-branch"),
        (Role.OFFICIAL, {}, "home-official", "figure-organizations"),
    ],
)
def test_each_role_finds_its_work_on_the_home_page(
    page, live_server, work, screenshot, role, area, home, item
):
    # given a new user of the role
    areas = {
        "township": work.township_a,
        "community": work.community_a1,
        "organization": work.org_a1,
    }
    UserFactory(
        username=f"new-{role}",
        name="新用户",
        role=role,
        **{field: areas[field] for field in area},
    )

    # when they log in on a phone
    page.set_viewport_size(PHONE)
    log_in(page, live_server, f"new-{role}")

    # then the home page shows their work, and the item leads to the records behind it
    expect(page.get_by_test_id(home)).to_be_visible()
    target = page.get_by_test_id(item).first
    expect(target).to_be_visible()
    screenshot(f"home-{role}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(f"home-{role}-desktop")
    href = target.get_attribute("href")
    assert href
    target.click()
    expect(page).to_have_url(re.compile(re.escape(href.split("?")[0])))
    expect(page.locator("main")).to_be_visible()


def test_official_opens_the_overview_filters_by_township_and_downloads_excel(
    page, live_server, work, screenshot
):
    UserFactory(username="leader", name="县领导", role=Role.OFFICIAL)
    log_in(page, live_server, "leader")

    page.goto(f"{live_server.url}/overview/")
    expect(page.get_by_test_id("overview-title")).to_be_visible()
    # every chart is drawn
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    page.get_by_test_id("filter-township").select_option(str(work.township_a.pk))
    page.get_by_test_id("overview-filters").locator("button").click()
    expect(page.get_by_test_id("overview-title")).to_contain_text(work.township_a.name)
    figure = page.get_by_test_id("figure-organizations")
    expected = figure.get_attribute("data-figure")
    page.set_viewport_size(PHONE)
    screenshot("overview-township-phone")

    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # the organisations figure equals the list it opens
    figure.click()
    expect(page.get_by_test_id("organization-count")).to_contain_text(expected)
