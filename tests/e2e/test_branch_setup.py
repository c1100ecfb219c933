"""Tried as a new user would: township staff set up a joint branch and record a theme Party day.

With only two formal Party members chosen the branch is refused with a message that says so;
with a third it is set up. Recording a 主题党日 then changes the compliance board.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from party_branches.models import Branch, Meeting
from party_branches.services import BRANCH_TOO_FEW_FORMAL_MESSAGE
from tests.accounts.factories import PASSWORD, UserFactory
from tests.party_branches.factories import party_members

pytestmark = pytest.mark.e2e


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_township_staff_set_up_a_joint_branch_and_record_a_theme_day(
    page, live_server, county, screenshot
):
    # given two organisations of one township with two and one formal Party members
    UserFactory(username="li", name="李秀兰", role=Role.TOWNSHIP_STAFF, township=county.township_a)
    first, second = party_members(county.org_a1, 2)
    [third] = party_members(county.org_a2, 1)

    log_in(page, live_server, "li", PASSWORD)
    page.goto(f"{live_server.url}/branches/new/?organization={county.org_a1.pk}")

    # when they form it jointly with the second organisation
    orgs_form = page.get_by_test_id("branch-orgs-form")
    orgs_form.locator(f"input[name=also][value='{county.org_a2.pk}']").check()
    page.get_by_test_id("refresh-candidates").click()
    expect(page.get_by_test_id("formation")).to_have_text(re.compile(r"\S"))
    expect(page.get_by_test_id(f"candidate-{third.pk}")).to_be_visible()

    # and choose only the two formal members of the first organisation
    page.get_by_test_id(f"candidate-{first.pk}").check()
    page.get_by_test_id(f"candidate-{second.pk}").check()
    page.get_by_test_id("submit").click()

    # then they get the clear refusal and nothing is written
    refusal = str(BRANCH_TOO_FEW_FORMAL_MESSAGE) % {"count": 2, "required": 3}
    expect(page.get_by_test_id("members-error")).to_have_text(refusal)
    screenshot("branch-setup-refused-two-formal")
    assert not Branch.objects.exists()

    # when they tick the third
    expect(page.get_by_test_id(f"candidate-{first.pk}")).to_be_checked()
    page.get_by_test_id(f"candidate-{third.pk}").check()
    page.get_by_test_id("submit").click()

    # then the joint branch is set up
    expect(page).to_have_url(re.compile(r"/branches/\d+/$"))
    branch = Branch.objects.get()
    assert branch.formation == "joint"
    assert branch.members.count() == 3
    screenshot("branch-setup-done")

    # the compliance board shows the theme day missing
    page.goto(f"{live_server.url}/branches/compliance/")
    cell = page.get_by_test_id(f"cell-{branch.pk}-theme_day")
    expect(cell).to_have_text("0/1")
    missing_before = int(page.get_by_test_id(f"missing-{branch.pk}").inner_text())

    # when they record a theme Party day with everyone preselected
    page.goto(f"{live_server.url}/branches/{branch.pk}/")
    page.get_by_test_id("record-meeting").click()
    form = page.get_by_test_id("meeting-form")
    form.locator("select[name=kind]").select_option("theme_day")
    form.locator("input[name=topic]").fill("主题党日：重温入党誓词")
    page.get_by_test_id("submit").click()
    expect(page).to_have_url(re.compile(rf"/branches/{branch.pk}/$"))
    assert Meeting.objects.get().attendees.count() == 3

    # then the compliance board changes
    page.goto(f"{live_server.url}/branches/compliance/")
    expect(page.get_by_test_id(f"cell-{branch.pk}-theme_day")).to_have_text("1/1")
    assert int(page.get_by_test_id(f"missing-{branch.pk}").inner_text()) == missing_before - 1
    screenshot("branch-compliance-after-theme-day")
