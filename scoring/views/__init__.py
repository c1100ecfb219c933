"""Pages of the scoring app: ranking and runs, an organisation's score, scheme, assessments,
awards."""

from scoring.views.assessments import assessments
from scoring.views.awards import award_decide, awards, awards_propose
from scoring.views.counties import county_comparison
from scoring.views.organization import organization_score
from scoring.views.ranking import quarter_finalize, quarter_reopen, ranking, recompute, run_panel
from scoring.views.schemes import scheme, scheme_create

__all__ = [
    "assessments",
    "award_decide",
    "awards",
    "awards_propose",
    "county_comparison",
    "organization_score",
    "quarter_finalize",
    "quarter_reopen",
    "ranking",
    "recompute",
    "run_panel",
    "scheme",
    "scheme_create",
]
