"""The navigation menu, built from one table of entries and the roles that see them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

ALL_ROLES = frozenset(Role.values)


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: frozenset[str]


# Later apps add their pages here; the matrix test checks every page against the roles.
OVERSEERS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.OFFICIAL})

MENU = (
    MenuEntry(_("Home"), "home", ALL_ROLES),
    MenuEntry(_("Organisations"), "orgs:organization_list", ALL_ROLES),
    MenuEntry(_("People"), "orgs:person_list", ALL_ROLES - {Role.ORG_CONTACT}),
    MenuEntry(_("Merges"), "orgs:merge_list", OVERSEERS),
    MenuEntry(_("Zombie watch"), "orgs:zombie_list", OVERSEERS),
    MenuEntry(_("Townships"), "areas:township_list", ALL_ROLES - {Role.ORG_CONTACT}),
    MenuEntry(_("Communities"), "areas:community_list", ALL_ROLES - {Role.ORG_CONTACT}),
)


def menu_for(user) -> list[dict]:
    """Return the menu entries the user's role may open."""
    if not user.is_authenticated:
        return []
    role = Role.COUNTY_ADMIN if user.is_superuser and not user.role else user.role
    return [
        {"label": entry.label, "url": reverse(entry.url_name), "url_name": entry.url_name}
        for entry in MENU
        if role in entry.roles
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"menu": menu_for(user)}
