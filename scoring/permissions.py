"""Who may do what on the scoring pages beyond reading the published ranking.

The ranking is published to every role. Township staff and the county admin start a
recompute; only the county admin finalises, re-opens, edits schemes and decides awards.
Schemes and awards are read by the overview roles; assessments are entered by secretaries
(own community), township staff (own township) and the county admin.
"""

from accounts.roles import OVERSEER_ROLES, Role
from accounts.scoping import scope_for

RECOMPUTE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})
ASSESSOR_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SECRETARY})


def _role(user) -> str:
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.is_superuser and not user.role:
        return Role.COUNTY_ADMIN
    return scope_for(user).role


def _writer_role(user) -> str:
    return "" if scope_for(user).read_only else _role(user)


def may_recompute(user) -> bool:
    return _writer_role(user) in RECOMPUTE_ROLES


def is_county_admin(user) -> bool:
    return _writer_role(user) == Role.COUNTY_ADMIN


def may_read_overview(user) -> bool:
    """Schemes and awards: the county admin, township staff and officials."""
    return _role(user) in OVERSEER_ROLES


def may_assess(user) -> bool:
    return _writer_role(user) in ASSESSOR_ROLES
