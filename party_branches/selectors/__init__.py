"""Page-shaped reads of branches, instructors and coverage, starting from the user's scope.

One module per page: `branches`, `party_tab` (the organisation page's tab), `coverage`.
"""

from party_branches.selectors.branches import (
    active_branch_exists,
    branch_detail_context,
    branch_list,
    eligible_candidates,
    with_member_counts,
)
from party_branches.selectors.coverage import (
    COVERAGE_FIGURES,
    COVERAGE_TESTS,
    CoverageRow,
    coverage,
    coverage_filter,
    coverage_page,
    coverage_sets,
    coverage_totals,
    with_coverage,
)
from party_branches.selectors.party_tab import (
    party_tab_context,
)

__all__ = [
    "COVERAGE_FIGURES",
    "COVERAGE_TESTS",
    "CoverageRow",
    "active_branch_exists",
    "branch_detail_context",
    "branch_list",
    "coverage",
    "coverage_filter",
    "coverage_page",
    "coverage_sets",
    "coverage_totals",
    "eligible_candidates",
    "party_tab_context",
    "with_coverage",
    "with_member_counts",
]
