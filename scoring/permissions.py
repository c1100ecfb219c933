"""Who may do what on the scoring pages beyond reading the published ranking.

The ranking is published to every role. Township staff and the county admin start a
recompute; only the county admin finalises, re-opens, edits schemes and decides awards.
Schemes and awards are read by the overview roles; assessments are entered by secretaries
(own community), township staff (own township) and the county admin.
"""

from accounts.policies import may
from accounts.scoping import Level, scope_for


def may_recompute(user) -> bool:
    return may(user, "scoring.recompute")


def is_county_admin(user) -> bool:
    return may(user, "scoring.administer")


def may_read_overview(user) -> bool:
    """Schemes and awards: the county admin, township staff and officials."""
    return may(user, "scoring.read_overview")


def may_assess(user) -> bool:
    return may(user, "scoring.assess")


def may_compare_counties(user) -> bool:
    """The comparison of counties: county administrators and officials (of one county, it
    shows theirs alone)."""
    return may(user, "scoring.compare_counties")


def serves_several_counties(user) -> bool:
    """Whether the user's scope reaches more than one county (a city's or a province's staff):
    they are shown the comparison in the menu."""
    return scope_for(user).level in {Level.CITY, Level.ALL}
