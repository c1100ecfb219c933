"""Pages of the temporary Party branches: list, page, set-up, members, meetings, coverage."""

from party_branches.views.branches import (
    branch_create,
    branch_detail,
    branch_dissolve,
    branch_list,
    member_add,
    member_remove,
)
from party_branches.views.instructors import (
    instructor_assign,
    instructor_end,
)
from party_branches.views.meetings import (
    meeting_record,
)
from party_branches.views.oversight import (
    compliance_board,
    coverage,
    coverage_organizations,
    frequency_list,
)

__all__ = [
    "branch_create",
    "branch_detail",
    "branch_dissolve",
    "branch_list",
    "compliance_board",
    "coverage",
    "coverage_organizations",
    "frequency_list",
    "instructor_assign",
    "instructor_end",
    "meeting_record",
    "member_add",
    "member_remove",
]
