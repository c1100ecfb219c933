"""The organisation page's Party tab."""

from __future__ import annotations

from django.db.models import (
    Prefetch,
)
from django.utils import timezone

from orgs.models import Membership, Organization, Person
from party_branches import rules
from party_branches.models import (
    Branch,
    InstructorAssignment,
)
from party_branches.permissions import (
    can_manage_instructors,
    can_set_up_branches,
)
from party_branches.selectors.branches import with_member_counts

# --- The organisation page's Party tab -----------------------------------------------------


def _formal_members_count(organization: Organization) -> int:
    return (
        Membership.objects.current()
        .filter(
            organization=organization,
            person__is_party_member=True,
            person__party_status=Person.PartyStatus.FULL,
        )
        .values("person")
        .distinct()
        .count()
    )


def party_tab_context(*, user, organization: Organization) -> dict:
    """Context for the organisation page's Party tab (partials/_org_party.html)."""
    today = timezone.localdate()
    branches = list(
        with_member_counts(
            Branch.objects.visible_to(user)
            .filter(organizations=organization)
            .prefetch_related(
                Prefetch("organizations", queryset=Organization.objects.order_by("name"))
            )
        ).order_by("dissolved_on", "-established_on")
    )
    instructors = list(
        InstructorAssignment.objects.visible_to(user)
        .filter(organization=organization)
        .order_by("ended_on", "-started_on")
    )
    has_active_branch = any(branch.is_active for branch in branches)
    formal = _formal_members_count(organization)
    manage = can_manage_instructors(user, organization)
    return {
        "party_branches": branches,
        "party_instructors": instructors,
        "party_has_active_branch": has_active_branch,
        "party_has_active_instructor": any(
            assignment.ended_on is None or assignment.ended_on > today for assignment in instructors
        ),
        "party_formal_members": formal,
        "party_min_formal": rules.MIN_FORMAL_MEMBERS,
        "party_eligible": formal >= rules.MIN_FORMAL_MEMBERS,
        "party_can_set_up": manage
        and can_set_up_branches(user)
        and organization.is_active
        and not has_active_branch,
        "party_can_assign_instructor": manage and organization.is_active,
    }
