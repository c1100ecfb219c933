"""Tried as a new user would: township staff find an organisation, update its needs, see it."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import PASSWORD, UserFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.e2e


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("welcome")).to_be_visible()


def test_township_staff_updates_needs_and_sees_it_in_the_history(
    page, live_server, county, screenshot
):
    # given: a township staff member and a few organisations, one of them with needs on record
    UserFactory(username="li", name="李秀兰", role=Role.TOWNSHIP_STAFF, township=county.township_a)
    organization = county.org_a1
    organization.needs = "缺少排练场地"
    organization.save()
    for number in range(5):
        OrganizationFactory(name=f"城关舞蹈队{number}", community=county.community_a2)

    log_in(page, live_server, "li", PASSWORD)

    # when: they search the list for a fragment of the name
    page.goto(f"{live_server.url}/orgs/")
    table = page.get_by_test_id("organization-table")
    expect(table.get_by_test_id("organization-row")).to_have_count(7)
    page.get_by_test_id("filter-q").press_sequentially("书画", delay=50)
    expect(table.get_by_test_id("organization-row")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=%E4%B9%A6%E7%94%BB|q=书画"))
    screenshot("township-staff-organisation-search")
    table.get_by_role("link", name="幸福社区书画协会").click()

    # and open its page, edit its needs and save
    expect(page.get_by_test_id("organization-name")).to_contain_text("幸福社区书画协会")
    expect(page.get_by_test_id("org-needs")).to_have_text("缺少排练场地")
    page.get_by_test_id("edit-organization").click()
    needs = page.locator("textarea[name=needs]")
    expect(needs).to_have_value("缺少排练场地")
    needs.fill("缺少排练场地和音响设备")
    page.get_by_test_id("save").click()

    # then: the profile shows the new needs and the history shows who changed it, old → new
    expect(page).to_have_url(re.compile(rf"/orgs/{organization.pk}/$"))
    expect(page.get_by_test_id("org-needs")).to_have_text("缺少排练场地和音响设备")
    newest = page.get_by_test_id("history").get_by_test_id("history-entry").first
    expect(newest).to_contain_text("李秀兰")
    change = newest.get_by_test_id("history-change")
    expect(change).to_have_count(1)
    expect(change.get_by_test_id("history-old")).to_have_text("缺少排练场地")
    expect(change.get_by_test_id("history-new")).to_have_text("缺少排练场地和音响设备")
    screenshot("township-staff-organisation-history")
