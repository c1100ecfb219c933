"""Matrix rows of the overview pages: county roles see all, township staff their township.

Statuses are for (county_admin, township_staff, secretary, official, org_contact).
"""

TARGETS = {
    "overview:township:own": lambda c: c.township_a.pk,
    "overview:township:far": lambda c: c.township_b.pk,
}

OVERSEERS = (200, 200, 403, 200, 403)

MATRIX = {
    ("dashboards:overview", None, "get"): OVERSEERS,
    # The pages take no POST; officials get 403 on any (the read-only middleware answers first).
    ("dashboards:overview", None, "post"): (405, 405, 405, 403, 405),
    ("dashboards:township_overview", "overview:township:own", "get"): OVERSEERS,
    ("dashboards:township_overview", "overview:township:far", "get"): (200, 404, 403, 200, 403),
    ("dashboards:overview_xlsx", None, "get"): OVERSEERS,
}
