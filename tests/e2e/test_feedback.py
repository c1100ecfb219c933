"""Tried as a new user would: record an event, verify it, and rate it from a phone.

An organisation contact records an event through the form; the community secretary verifies
it from the queue; a resident opens the public rating link in a phone-sized browser without
an account, gives 5 with a comment, and the organisation's average on its feedback page
changes.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from activities.models import Activity, VerificationStatus
from tests.accounts.factories import UserFactory
from tests.activities.factories import ActivityFactory, FeedbackFactory, days_ago
from tests.e2e.browser import log_in
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


def test_event_recorded_verified_and_rated_from_a_phone(
    page, browser, live_server, county, screenshot
):
    # given a contact of org A1 (rated 3 once before) and the secretary of its community
    UserFactory(username="chen", name="陈明", role=Role.ORG_CONTACT, organization=county.org_a1)
    UserFactory(username="zhang", name="张丽华", role=Role.SECRETARY, community=county.community_a1)
    earlier = ActivityFactory(lead_organization=county.org_a1, status=VerificationStatus.VERIFIED)
    FeedbackFactory(activity=earlier, score=3)
    feedback_url = live_server.url + reverse(
        "activities:organization_feedback", kwargs={"org_pk": county.org_a1.pk}
    )

    # when the contact records yesterday's event through the form
    log_in(page, live_server, "chen")
    page.goto(live_server.url + reverse("activities:activity_list"))
    page.get_by_test_id("activity-create").click()
    form = page.get_by_test_id("activity-form")
    form.locator("select[name=lead_organization]").select_option(str(county.org_a1.pk))
    form.locator("select[name=kind]").select_option(Activity.Kind.HEALTH_CLINIC)
    form.locator("input[name=title]").fill("重阳节健康义诊")
    form.locator("input[name=start]").fill(days_ago(1).strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=end]").fill(days_ago(1, hour=11).strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=place]").fill("幸福社区卫生服务站")
    form.locator("input[name=beneficiaries]").fill("56")
    form.locator("input[name=volunteer_hours]").fill("18")
    page.get_by_test_id("save").click()

    # then the activity page shows it awaiting verification
    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    activity = Activity.objects.get(title="重阳节健康义诊")
    assert activity.status == VerificationStatus.SUBMITTED

    # when the secretary verifies it from the queue
    log_in(page, live_server, "zhang")
    page.goto(live_server.url + reverse("activities:verification_queue"))
    expect(page.get_by_test_id("queue-activities")).to_contain_text("重阳节健康义诊")
    page.get_by_test_id(f"verify-activity-{activity.pk}").click()
    # a record with no content and no photo asks for a confirmation first
    expect(page.get_by_test_id("verify-empty-warning")).to_be_visible()
    page.get_by_test_id(f"confirm-verify-{activity.pk}").click()
    expect(page.get_by_test_id("queue-activities")).not_to_contain_text("重阳节健康义诊")
    activity.refresh_from_db()
    assert activity.status == VerificationStatus.VERIFIED
    page.goto(feedback_url)
    expect(page.get_by_test_id("feedback-average")).to_have_text("3.00")
    public_url = live_server.url + reverse(
        "activities:feedback_public", kwargs={"token": activity.feedback_token}
    )

    # when a resident opens the QR link on a phone, without an account, and gives 5
    phone_context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    phone = phone_context.new_page()
    phone.goto(public_url)
    expect(phone).to_have_url(public_url)
    phone.get_by_test_id("score-5").click()
    phone.locator("textarea[name=comment]").fill("医生很耐心，希望常来")
    SCREENSHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "activity-feedback-phone.png"), full_page=True)
    phone.get_by_test_id("submit-feedback").click()
    expect(phone.get_by_test_id("feedback-thanks")).to_be_visible()
    phone_context.close()

    # then the organisation's average on its feedback page changes
    page.goto(feedback_url)
    expect(page.get_by_test_id("feedback-average")).to_have_text("4.00")
    expect(page.get_by_test_id("feedback-count")).to_have_text("2")
    expect(page.locator("body")).to_contain_text("医生很耐心")
    screenshot("activity-feedback-average")
