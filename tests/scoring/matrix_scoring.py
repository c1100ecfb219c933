"""Matrix rows of the scoring pages: ranking, runs, an organisation's score, scheme,
assessments and awards.

Statuses are for (county_admin, township_staff, secretary, official, org_contact). The ranking
is published to every role; an organisation's score page follows the organisation's scope
("own" is org A1 in community A1, "near" org A2 in township A, "far" org B1 in township B).
"""

from tests.scoring.factories import AwardFactory

TARGETS = {
    "scoring:org:own": lambda c: c.org_a1.pk,
    "scoring:org:near": lambda c: c.org_a2.pk,
    "scoring:org:far": lambda c: c.org_b1.pk,
    "scoring:award:own": lambda c: AwardFactory(organization=c.org_a1).pk,
    "scoring:award:far": lambda c: AwardFactory(organization=c.org_b1).pk,
}

ALL_200 = (200, 200, 200, 200, 200)
ADMIN_REDIRECT = (302, 403, 403, 403, 403)
OVERVIEW = (200, 200, 403, 200, 403)
ASSESSORS = (200, 200, 200, 403, 403)

MATRIX = {
    ("scoring:ranking", None, "get"): ALL_200,
    ("scoring:county_comparison", None, "get"): (200, 403, 403, 200, 403),
    ("scoring:run_panel", None, "get"): ALL_200,
    ("scoring:recompute", None, "post"): (302, 302, 403, 403, 403),
    ("scoring:quarter_finalize", None, "post"): ADMIN_REDIRECT,
    ("scoring:quarter_reopen", None, "post"): ADMIN_REDIRECT,
    ("scoring:organization_score", "scoring:org:own", "get"): ALL_200,
    ("scoring:organization_score", "scoring:org:near", "get"): (200, 200, 404, 200, 404),
    ("scoring:organization_score", "scoring:org:far", "get"): (200, 404, 404, 200, 404),
    ("scoring:scheme", None, "get"): OVERVIEW,
    ("scoring:scheme", None, "post"): (200, 403, 403, 403, 403),
    ("scoring:scheme_create", None, "post"): ADMIN_REDIRECT,
    ("scoring:assessments", None, "get"): ASSESSORS,
    ("scoring:assessments", None, "post"): ASSESSORS,
    ("scoring:awards", None, "get"): OVERVIEW,
    ("scoring:awards_propose", None, "post"): ADMIN_REDIRECT,
    ("scoring:award_decide", "scoring:award:own", "post"): ADMIN_REDIRECT,
    ("scoring:award_decide", "scoring:award:far", "post"): (302, 404, 404, 403, 404),
}
