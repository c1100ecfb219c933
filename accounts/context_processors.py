"""The navigation menu, built from one table of entries and the roles that see them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import OVERSEER_ROLES, Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset[str]
    group: str = ""


LEDGER = _("Ledger")
ACTIVITIES = _("Activities")
PARTY = _("Party building")
VENUES = _("Venues")
AREAS = _("Areas")
SCORING = _("Scoring")
EXPORTS = _("Exports")


# Later apps add their pages here; the matrix test checks every page against the roles.
OVERSEERS = OVERSEER_ROLES

MENU = (
    MenuEntry(_("Home"), "home", ALL_ROLES),
    MenuEntry(_("County overview"), "dashboards:overview", OVERSEERS),
    MenuEntry(_("Organisations"), "orgs:organization_list", ALL_ROLES, LEDGER),
    MenuEntry(_("People"), "orgs:person_list", ALL_ROLES - {Role.ORG_CONTACT}, LEDGER),
    MenuEntry(_("Merges"), "orgs:merge_list", OVERSEERS, LEDGER),
    MenuEntry(_("Zombie watch"), "orgs:zombie_list", OVERSEERS, LEDGER),
    MenuEntry(
        _("Import ledger"),
        "exports:import_upload",
        frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF}),
        LEDGER,
    ),
    MenuEntry(_("Activities and services"), "activities:activity_list", ALL_ROLES, ACTIVITIES),
    MenuEntry(
        _("Verification queue"),
        "activities:verification_queue",
        frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SECRETARY}),
        ACTIVITIES,
    ),
    MenuEntry(_("Mediation cases"), "activities:mediation_list", ALL_ROLES, ACTIVITIES),
    MenuEntry(_("Temporary Party branches"), "party_branches:branch_list", ALL_ROLES, PARTY),
    MenuEntry(_("Organisational life"), "party_branches:compliance_board", ALL_ROLES, PARTY),
    MenuEntry(_("Coverage"), "party_branches:coverage", OVERSEERS, PARTY),
    MenuEntry(_("Venue bookings"), "venues:center_list", ALL_ROLES, VENUES),
    MenuEntry(_("My bookings"), "venues:my_bookings", ALL_ROLES - {Role.OFFICIAL}, VENUES),
    MenuEntry(
        _("Bookings to approve"),
        "venues:approval_queue",
        frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SECRETARY}),
        VENUES,
    ),
    MenuEntry(_("Room utilisation"), "venues:utilisation", OVERSEERS, VENUES),
    MenuEntry(_("Quarter ranking"), "scoring:ranking", ALL_ROLES, SCORING),
    MenuEntry(
        _("Quarter assessments"),
        "scoring:assessments",
        frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SECRETARY}),
        SCORING,
    ),
    MenuEntry(_("Scoring scheme"), "scoring:scheme", OVERSEERS, SCORING),
    MenuEntry(_("Annual awards"), "scoring:awards", OVERSEERS, SCORING),
    MenuEntry(_("Townships"), "areas:township_list", ALL_ROLES - {Role.ORG_CONTACT}, AREAS),
    MenuEntry(_("Communities"), "areas:community_list", ALL_ROLES - {Role.ORG_CONTACT}, AREAS),
    MenuEntry(_("My exports"), "exports:export_list", ALL_ROLES, EXPORTS),
)


def menu_for(user) -> list[dict]:
    """Return the menu entries the user's role may open."""
    if not user.is_authenticated:
        return []
    role = user.effective_role
    return [
        {
            "label": entry.label,
            "url": reverse(entry.url_name),
            "url_name": entry.url_name,
            "group": entry.group,
        }
        for entry in MENU
        if role in entry.roles
    ]


def group_menu(entries: list[dict]) -> list[dict]:
    """Gather entries of one group under one dropdown, keeping the table's order."""
    groups: list[dict] = []
    for entry in entries:
        if entry["group"] and groups and groups[-1]["label"] == entry["group"]:
            groups[-1]["entries"].append(entry)
        else:
            groups.append({"label": entry["group"], "entries": [entry]})
    return groups


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    menu = menu_for(user)
    return {"menu": menu, "menu_groups": group_menu(menu)}
