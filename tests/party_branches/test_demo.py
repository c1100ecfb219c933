"""The demo county's branches: 25 of them, each set up by the rules, with a year of meetings."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from accounts.models import User
from core.quarters import quarter_of, shift_quarter
from party_branches.compliance import branch_compliance
from party_branches.models import Branch, BranchMember, InstructorAssignment, Meeting
from tests.clock import frozen_clock


@pytest.fixture(scope="module")
def county_demo(django_db_setup, django_db_blocker):
    """Seed the demo county once for the module's read-only tests, and roll it back after."""
    with frozen_clock(), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("county_demo")


def test_demo_has_25_branches_single_and_joint(db):
    branches = Branch.objects.annotate(n=Count("organizations"))

    assert branches.count() == 25
    assert {branch.formation for branch in branches} == {"single", "joint"}
    for branch in branches:
        assert (branch.n > 1) == (branch.formation == "joint")
        townships = {o.community.township_id for o in branch.organizations.all()}
        assert townships == {branch.township_id}


def test_each_demo_branch_had_three_formal_members_from_its_organisations(db):
    for branch in Branch.objects.prefetch_related("organizations"):
        at_setup = BranchMember.objects.filter(
            branch=branch, joined_on=branch.established_on, party_status="full"
        ).select_related("person")
        assert at_setup.count() >= 3
        for member in at_setup:
            person = member.person
            assert person.is_party_member and person.party_status == "full"
            assert person.memberships.filter(
                organization__in=branch.organizations.all(), left_on__isnull=True
            ).exists()
    # Nobody is in two active branches.
    assert BranchMember.objects.current().values("person").distinct().count() == (
        BranchMember.objects.current().count()
    )


def test_demo_secretary_sees_a_branch_in_their_community(db):
    secretary = User.objects.get(username="secretary")
    contact = User.objects.get(username="contact")
    assert Branch.objects.visible_to(secretary).exists()
    assert Branch.objects.visible_to(contact).exists()


def test_demo_has_instructors_and_a_year_of_meetings_with_some_branches_behind(db):
    today = timezone.localdate()
    assert InstructorAssignment.objects.count() == 15
    assert not InstructorAssignment.objects.filter(
        organization__party_branches__isnull=False
    ).exists()
    assert Meeting.objects.filter(held_on__gt=today).count() == 0
    assert Meeting.objects.filter(held_on__lt=today - timedelta(days=300)).exists()
    assert not Meeting.objects.filter(held_on__lt=F("branch__established_on")).exists()
    last_quarter = shift_quarter(quarter_of(today), -1)
    rows = branch_compliance(branches_qs=Branch.objects.all(), quarter=last_quarter)
    behind = [row for row in rows if row.behind]
    assert 0 < len(behind) < len(rows)
