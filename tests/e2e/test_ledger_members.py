"""Tried as a new user would: township staff add a member by ID number.

A wrong check digit is refused with the Chinese message and nothing is written; the ID number
of a resident already in the ledger reuses that person instead of entering them twice.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from core.identifiers import ID_NUMBER_CHECKSUM_MESSAGE
from orgs.models import Membership, Person
from tests.accounts.factories import PASSWORD, UserFactory
from tests.orgs.factories import MembershipFactory, PersonFactory, make_id_number

pytestmark = pytest.mark.e2e


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_township_staff_add_a_member_by_id_number_and_an_existing_resident_is_reused(
    page, live_server, county, screenshot
):
    # given a township staff user and a resident already a member of an organisation elsewhere
    UserFactory(username="li", name="李秀兰", role=Role.TOWNSHIP_STAFF, township=county.township_a)
    id_number = make_id_number(321)
    resident = PersonFactory(name="李建国", id_number=id_number)
    MembershipFactory(person=resident, organization=county.org_b1)
    people_before = Person.objects.count()
    memberships_before = Membership.objects.count()
    wrong = id_number[:-1] + ("1" if id_number[-1] != "1" else "2")

    log_in(page, live_server, "li", PASSWORD)
    page.goto(f"{live_server.url}/orgs/orgs/{county.org_a1.pk}/members/add/")
    form = page.get_by_test_id("membership-form")

    # when they first type an ID number with a wrong check digit
    form.locator("input[name=id_number]").fill(wrong)
    form.locator("input[name=name]").fill("李建国")
    form.locator("select[name=role]").select_option("core")
    page.get_by_test_id("submit").click()

    # then the Chinese message shows and nothing is written
    expect(page.get_by_text(ID_NUMBER_CHECKSUM_MESSAGE)).to_be_visible()
    screenshot("add-member-wrong-check-digit")
    assert Person.objects.count() == people_before
    assert Membership.objects.count() == memberships_before

    # when they correct the ID number to that of the existing resident
    form = page.get_by_test_id("membership-form")
    form.locator("input[name=id_number]").fill(id_number.lower())
    page.get_by_test_id("submit").click()

    # then the resident is reused: no new person, a second membership
    expect(page.get_by_role("alert").filter(has_text="李建国")).to_be_visible()
    screenshot("add-member-existing-resident-reused")
    assert Person.objects.count() == people_before
    assert resident.memberships.count() == 2
    assert resident.memberships.get(organization=county.org_a1).role == "core"
