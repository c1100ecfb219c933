"""Matrix rows of the branch pages.

Statuses are for (county_admin, township_staff, secretary, official, org_contact). The "own"
branch is formed in org A1 (township A, community A1: inside every local persona's area), the
"far" one in org B1 (township B).
"""

from party_branches.models import BranchMember
from tests.party_branches.factories import InstructorFactory, make_branch


def _branch(organization) -> int:
    return make_branch([organization]).pk


def _member(organization) -> dict:
    branch = make_branch([organization], formal=4)
    member = BranchMember.objects.filter(branch=branch).first()
    return {"pk": branch.pk, "member_pk": member.pk}


def _instructor(organization) -> int:
    return InstructorFactory(organization=organization).pk


TARGETS = {
    "branches:branch:own": lambda c: _branch(c.org_a1),
    "branches:branch:far": lambda c: _branch(c.org_b1),
    "branches:member:own": lambda c: _member(c.org_a1),
    "branches:member:far": lambda c: _member(c.org_b1),
    "branches:org:own": lambda c: {"org_pk": c.org_a1.pk},
    "branches:org:far": lambda c: {"org_pk": c.org_b1.pk},
    "branches:instructor:own": lambda c: _instructor(c.org_a1),
    "branches:instructor:far": lambda c: _instructor(c.org_b1),
}

ALL_200 = (200, 200, 200, 200, 200)
FAR_READ = (200, 404, 404, 200, 404)
EDITORS = (200, 200, 403, 403, 403)
EDITORS_FAR = (200, 404, 404, 403, 404)
RECORDERS = (200, 200, 200, 403, 403)
ADMIN_ONLY = (200, 403, 403, 403, 403)

MATRIX = {
    ("party_branches:branch_list", None, "get"): ALL_200,
    ("party_branches:branch_create", None, "get"): EDITORS,
    ("party_branches:branch_create", None, "post"): EDITORS,
    ("party_branches:branch_detail", "branches:branch:own", "get"): ALL_200,
    ("party_branches:branch_detail", "branches:branch:far", "get"): FAR_READ,
    ("party_branches:member_add", "branches:branch:own", "get"): EDITORS,
    ("party_branches:member_add", "branches:branch:own", "post"): EDITORS,
    ("party_branches:member_add", "branches:branch:far", "get"): EDITORS_FAR,
    ("party_branches:member_add", "branches:branch:far", "post"): EDITORS_FAR,
    ("party_branches:member_remove", "branches:member:own", "get"): EDITORS,
    ("party_branches:member_remove", "branches:member:own", "post"): EDITORS,
    ("party_branches:member_remove", "branches:member:far", "get"): EDITORS_FAR,
    ("party_branches:member_remove", "branches:member:far", "post"): EDITORS_FAR,
    ("party_branches:meeting_record", "branches:branch:own", "get"): RECORDERS,
    ("party_branches:meeting_record", "branches:branch:own", "post"): RECORDERS,
    ("party_branches:meeting_record", "branches:branch:far", "get"): EDITORS_FAR,
    ("party_branches:meeting_record", "branches:branch:far", "post"): EDITORS_FAR,
    ("party_branches:branch_dissolve", "branches:branch:own", "get"): EDITORS,
    ("party_branches:branch_dissolve", "branches:branch:own", "post"): EDITORS,
    ("party_branches:branch_dissolve", "branches:branch:far", "get"): EDITORS_FAR,
    ("party_branches:branch_dissolve", "branches:branch:far", "post"): EDITORS_FAR,
    ("party_branches:instructor_assign", "branches:org:own", "get"): EDITORS,
    ("party_branches:instructor_assign", "branches:org:own", "post"): EDITORS,
    ("party_branches:instructor_assign", "branches:org:far", "get"): EDITORS_FAR,
    ("party_branches:instructor_assign", "branches:org:far", "post"): EDITORS_FAR,
    ("party_branches:instructor_end", "branches:instructor:own", "get"): EDITORS,
    ("party_branches:instructor_end", "branches:instructor:own", "post"): EDITORS,
    ("party_branches:instructor_end", "branches:instructor:far", "get"): EDITORS_FAR,
    ("party_branches:instructor_end", "branches:instructor:far", "post"): EDITORS_FAR,
    ("party_branches:compliance_board", None, "get"): ALL_200,
    ("party_branches:coverage", None, "get"): ALL_200,
    ("party_branches:coverage_organizations", None, "get"): ALL_200,
    ("party_branches:frequency_list", None, "get"): ALL_200,
    ("party_branches:frequency_list", None, "post"): ADMIN_ONLY,
}


# --- writes naming an organisation (see WRITES in test_permission_matrix) ---


def _branch_data(organization) -> dict:
    from django.utils import timezone

    return {
        "base": organization.pk,
        "organizations": [organization.pk],
        "name": "临时党支部",
        "parent_org": "社区党委",
        "established_on": timezone.localdate().isoformat(),
    }


def _branches_of(organization) -> int:
    from party_branches.models import Branch

    return Branch.objects.filter(organizations=organization).count()


PAYLOADS = {
    "branch of another township's organisation": (
        lambda c: _branch_data(c.org_b1),
        lambda c: _branches_of(c.org_b1),
    ),
}

# The county admin is told what the branch still needs; the others never reach the form.
WRITES = {
    ("party_branches:branch_create", None, "branch of another township's organisation"): (
        200,
        404,
        403,
        403,
        403,
    ),
}
