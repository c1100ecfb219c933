"""Rows of the role × area matrix for people and memberships.

Statuses are for (county_admin, township_staff, secretary, official, org_contact). "own"
objects belong to organisation A1 (everyone's area), "far" ones to B1 (nobody's but the
county-wide roles').
"""

import datetime

from tests.orgs.factories import MembershipFactory

LEFT = {"left_on": datetime.date(2023, 1, 1), "left_reason": "外出务工"}


def _member(organization, **extra):
    return MembershipFactory(organization=organization, **extra)


TARGETS = {
    "people:person:own": lambda c: _member(c.org_a1).person_id,
    "people:person:far": lambda c: _member(c.org_b1).person_id,
    "people:membership:own": lambda c: _member(c.org_a1).pk,
    "people:membership:far": lambda c: _member(c.org_b1).pk,
    "people:membership:left:own": lambda c: _member(c.org_a1, **LEFT).pk,
    "people:membership:left:far": lambda c: _member(c.org_b1, **LEFT).pk,
    "people:org:own": lambda c: {"org_pk": c.org_a1.pk},
    "people:org:far": lambda c: {"org_pk": c.org_b1.pk},
}

ALL = (200, 200, 200, 200, 200)
EDITORS = (200, 200, 403, 403, 403)
EDITORS_FAR = (200, 404, 404, 403, 404)
NOT_ALLOWED = (405, 405, 405, 405, 405)

MATRIX = {
    ("orgs:person_list", None, "get"): ALL,
    ("orgs:person_merge", None, "get"): EDITORS,
    ("orgs:person_merge", None, "post"): EDITORS,
    ("orgs:person_detail", "people:person:own", "get"): ALL,
    ("orgs:person_detail", "people:person:far", "get"): (200, 404, 404, 200, 404),
    ("orgs:person_update", "people:person:own", "get"): EDITORS,
    ("orgs:person_update", "people:person:own", "post"): EDITORS,
    ("orgs:person_update", "people:person:far", "get"): EDITORS_FAR,
    ("orgs:person_update", "people:person:far", "post"): EDITORS_FAR,
    ("orgs:person_reveal", "people:person:own", "get"): NOT_ALLOWED,
    ("orgs:person_reveal", "people:person:own", "post"): EDITORS,
    ("orgs:person_reveal", "people:person:far", "post"): EDITORS_FAR,
    ("orgs:membership_add", "people:org:own", "get"): EDITORS,
    ("orgs:membership_add", "people:org:own", "post"): EDITORS,
    ("orgs:membership_add", "people:org:far", "get"): EDITORS_FAR,
    ("orgs:membership_add", "people:org:far", "post"): EDITORS_FAR,
    ("orgs:membership_end", "people:membership:own", "get"): EDITORS,
    ("orgs:membership_end", "people:membership:own", "post"): EDITORS,
    ("orgs:membership_end", "people:membership:far", "get"): EDITORS_FAR,
    ("orgs:membership_end", "people:membership:far", "post"): EDITORS_FAR,
    ("orgs:membership_rejoin", "people:membership:left:own", "get"): NOT_ALLOWED,
    ("orgs:membership_rejoin", "people:membership:left:own", "post"): (302, 302, 403, 403, 403),
    ("orgs:membership_rejoin", "people:membership:left:far", "post"): (302, 404, 404, 403, 404),
}
