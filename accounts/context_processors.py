"""The navigation menu: the pages the apps register, each shown to whoever may take its action."""

from collections.abc import Callable
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
    order: int = 0  # place in the menu; entries of one group are registered next to each other
    # A further condition for showing the entry (e.g. only to staff of several counties).
    shown_to: Callable[[object], bool] | None = None


# The menu's groups, named by the apps that register their pages in them.
LEDGER = _("Ledger")
ACTIVITIES = _("Activities")
PARTY = _("Party building")
VENUES = _("Venues")
AREAS = _("Areas")
SCORING = _("Scoring")
EXPORTS = _("Exports")

# Every app registers its pages from its AppConfig.ready(); the matrix test checks every page
# against the roles.
_ENTRIES: dict[str, MenuEntry] = {}


def register(*entries: MenuEntry) -> None:
    """Add pages to the menu (an app's ready() calls this; registering again replaces)."""
    for entry in entries:
        _ENTRIES[entry.url_name] = entry


def entries() -> list[MenuEntry]:
    return sorted(_ENTRIES.values(), key=lambda entry: entry.order)


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
        for entry in entries()
        if may(user, entry.action) and (entry.shown_to is None or entry.shown_to(user))
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
