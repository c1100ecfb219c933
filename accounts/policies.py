"""The one role table: which roles may take which action, and the check every app builds on.

Each app's `permissions.py` decides who may do what in that app. It asks `may(user, action)`
for the role part of a rule and adds the area part (the organisation's township, the room's
centre...) itself. Which rows a user sees is `accounts.scoping` (`Model.objects.visible_to`).
No other module compares roles: a new rule is a line in `GRANTS` and a function in the app's
`permissions.py`.

A superuser may do everything (Django's convention); a superuser without a role acts as a
county administrator for the pages it is shown (`acting_role`).
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.roles import OVERSEER_ROLES, Role
from accounts.scoping import scope_for

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})
VERIFIER_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SECRETARY})


@dataclass(frozen=True)
class Grant:
    """The roles granted an action; `writes` actions are refused to read-only accounts."""

    roles: frozenset[Role]
    writes: bool = True


def _reads(roles) -> Grant:
    return Grant(frozenset(roles), writes=False)


def _writes(roles) -> Grant:
    return Grant(frozenset(roles), writes=True)


# Who may take each action, by role. The area part of a rule lives in the app's permissions.py.
GRANTS: dict[str, Grant] = {
    # the pages every role reads (home, the ledger's lists, exports)
    "registry.read": _reads(ALL_ROLES),
    # areas
    "areas.read": _reads(ALL_ROLES - {Role.ORG_CONTACT}),
    "areas.manage": _writes({Role.COUNTY_ADMIN}),
    # the county administrator's own acts: deciding on any booking, finalising a ranking...
    "county.administer": _writes({Role.COUNTY_ADMIN}),
    # the ledger
    "orgs.read_people": _reads(ALL_ROLES - {Role.ORG_CONTACT}),
    "orgs.create": _writes(STAFF_ROLES),
    "orgs.keep_ledger": _writes(STAFF_ROLES),
    "orgs.see_sensitive": _writes(STAFF_ROLES),
    "orgs.merge": _writes({Role.COUNTY_ADMIN}),
    "orgs.merge_people": _writes(STAFF_ROLES),
    "orgs.manage_credit_listings": _writes({Role.COUNTY_ADMIN}),
    "orgs.oversee": _reads(OVERSEER_ROLES),
    "exports.import": _writes(STAFF_ROLES),
    # Party branches
    "party_branches.set_up": _writes(STAFF_ROLES),
    "party_branches.record_meetings_in_community": _writes({Role.SECRETARY}),
    "party_branches.manage_frequencies": _writes({Role.COUNTY_ADMIN}),
    "party_branches.read_coverage": _reads(OVERSEER_ROLES),
    # activities
    "activities.record": _writes(VERIFIER_ROLES | {Role.ORG_CONTACT}),
    "activities.verify": _writes(VERIFIER_ROLES),
    # venues
    "venues.book": _writes(ALL_ROLES - {Role.OFFICIAL}),
    # deciding on bookings (venues.models.DecisionRight): a room's named approvers, whatever
    # their role; the default approvers of rooms naming none; the county administrator, all
    "venues.decide_named": _writes(ALL_ROLES),
    "venues.decide_by_default": _writes({Role.TOWNSHIP_STAFF, Role.SECRETARY}),
    "venues.decide_all": _writes({Role.COUNTY_ADMIN}),
    "venues.approval_queue": _writes(VERIFIER_ROLES),
    "venues.read_utilisation": _reads(OVERSEER_ROLES),
    # scoring
    "scoring.read_ranking": _reads(ALL_ROLES),
    "scoring.recompute": _writes(STAFF_ROLES),
    "scoring.administer": _writes({Role.COUNTY_ADMIN}),
    "scoring.read_overview": _reads(OVERSEER_ROLES),
    "scoring.assess": _writes(VERIFIER_ROLES),
    "scoring.compare_counties": _reads({Role.COUNTY_ADMIN, Role.OFFICIAL}),
    # dashboards
    "dashboards.read_overview": _reads(OVERSEER_ROLES),
}


def acting_role(user) -> str:
    """The role the user acts in ("" for anonymous, inactive and role-less accounts)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ""
    return user.effective_role or ""


def may(user, action: str) -> bool:
    """Whether the user's role is granted the action (a KeyError names an unknown action)."""
    grant = GRANTS[action]
    role = acting_role(user)
    if not role:
        return False
    if grant.writes and scope_for(user).read_only:
        return False
    return user.is_superuser or role in grant.roles
