"""Role × area rows for the organisation pages (read by tests/accounts/test_permission_matrix).

Statuses are for (county_admin, township_staff, secretary, official, org_contact). "own" is
org A1 (every local persona's), "near" org A2 (township staff's township, another community),
"far" org B1 (another township). An empty POST to a form re-renders it with errors (200).
"""

TARGETS = {
    "org:own": lambda c: c.org_a1.pk,
    "org:near": lambda c: c.org_a2.pk,
    "org:far": lambda c: c.org_b1.pk,
}

MATRIX = {
    ("orgs:organization_list", None, "get"): (200, 200, 200, 200, 200),
    ("orgs:organization_create", None, "get"): (200, 200, 403, 403, 403),
    ("orgs:organization_create", None, "post"): (200, 200, 403, 403, 403),
    ("orgs:organization_detail", "org:own", "get"): (200, 200, 200, 200, 200),
    ("orgs:organization_detail", "org:near", "get"): (200, 200, 404, 200, 404),
    ("orgs:organization_detail", "org:far", "get"): (200, 404, 404, 200, 404),
    ("orgs:organization_print", "org:own", "get"): (200, 200, 200, 200, 200),
    ("orgs:organization_print", "org:near", "get"): (200, 200, 404, 200, 404),
    ("orgs:organization_print", "org:far", "get"): (200, 404, 404, 200, 404),
    ("orgs:organization_options", None, "get"): (200, 200, 200, 200, 200),
    ("orgs:organization_update", "org:own", "get"): (200, 200, 403, 403, 403),
    ("orgs:organization_update", "org:own", "post"): (200, 200, 403, 403, 403),
    ("orgs:organization_update", "org:near", "get"): (200, 200, 404, 403, 404),
    ("orgs:organization_update", "org:far", "get"): (200, 404, 404, 403, 404),
    ("orgs:organization_update", "org:far", "post"): (200, 404, 404, 403, 404),
    ("orgs:organization_verify", "org:own", "post"): (302, 302, 403, 403, 403),
    ("orgs:organization_verify", "org:near", "post"): (302, 302, 404, 403, 404),
    ("orgs:organization_verify", "org:far", "post"): (302, 404, 404, 403, 404),
}
