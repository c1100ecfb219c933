"""The navigation menu: one table of entries, each shown to whoever may take its action."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.policies import may


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    action: str  # an action of accounts.policies.GRANTS
    group: str = ""


LEDGER = _("Ledger")
ACTIVITIES = _("Activities")
PARTY = _("Party building")
VENUES = _("Venues")
AREAS = _("Areas")
SCORING = _("Scoring")
EXPORTS = _("Exports")

# Later apps add their pages here; the matrix test checks every page against the roles.
MENU = (
    MenuEntry(_("Home"), "home", "registry.read"),
    MenuEntry(_("County overview"), "dashboards:overview", "dashboards.read_overview"),
    MenuEntry(_("Organisations"), "orgs:organization_list", "registry.read", LEDGER),
    MenuEntry(_("People"), "orgs:person_list", "orgs.read_people", LEDGER),
    MenuEntry(_("Merges"), "orgs:merge_list", "orgs.oversee", LEDGER),
    MenuEntry(_("Zombie watch"), "orgs:zombie_list", "orgs.oversee", LEDGER),
    MenuEntry(_("Import ledger"), "exports:import_upload", "exports.import", LEDGER),
    MenuEntry(
        _("Activities and services"), "activities:activity_list", "registry.read", ACTIVITIES
    ),
    MenuEntry(
        _("Verification queue"), "activities:verification_queue", "activities.verify", ACTIVITIES
    ),
    MenuEntry(_("Mediation cases"), "activities:mediation_list", "registry.read", ACTIVITIES),
    MenuEntry(_("Temporary Party branches"), "party_branches:branch_list", "registry.read", PARTY),
    MenuEntry(_("Organisational life"), "party_branches:compliance_board", "registry.read", PARTY),
    MenuEntry(_("Coverage"), "party_branches:coverage", "party_branches.read_coverage", PARTY),
    MenuEntry(_("Venue bookings"), "venues:center_list", "registry.read", VENUES),
    MenuEntry(_("My bookings"), "venues:my_bookings", "venues.book", VENUES),
    MenuEntry(_("Bookings to approve"), "venues:approval_queue", "venues.approval_queue", VENUES),
    MenuEntry(_("Room utilisation"), "venues:utilisation", "venues.read_utilisation", VENUES),
    MenuEntry(_("Quarter ranking"), "scoring:ranking", "scoring.read_ranking", SCORING),
    MenuEntry(_("Quarter assessments"), "scoring:assessments", "scoring.assess", SCORING),
    MenuEntry(_("Scoring scheme"), "scoring:scheme", "scoring.read_overview", SCORING),
    MenuEntry(_("Annual awards"), "scoring:awards", "scoring.read_overview", SCORING),
    MenuEntry(_("Townships"), "areas:township_list", "areas.read", AREAS),
    MenuEntry(_("Communities"), "areas:community_list", "areas.read", AREAS),
    MenuEntry(_("My exports"), "exports:export_list", "registry.read", EXPORTS),
)


def menu_for(user) -> list[dict]:
    """Return the menu entries the user's role may open."""
    if not user.is_authenticated:
        return []
    return [
        {
            "label": entry.label,
            "url": reverse(entry.url_name),
            "url_name": entry.url_name,
            "group": entry.group,
        }
        for entry in MENU
        if may(user, entry.action)
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
