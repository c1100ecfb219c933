"""What the apps built on the ledger add to it, registered from their `AppConfig.ready()`.

The ledger (orgs) sits below party_branches, venues, activities and scoring and imports none of
them: where an organisation's page, its list filters or the zombie watch need what those apps
know, they call the functions registered here. Each upper app registers in its own `ready()`,
so a dependency always points down (see the layers contract in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists


@dataclass(frozen=True)
class Section:
    """A section of the organisation page: `context(user=, organization=)` -> template context.

    `order` places it among the others (the ledger's own members and oversight come first).
    """

    key: str
    order: int
    context: Callable[..., dict]


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add a section to the organisation page (once per key)."""
    if _SECTIONS.get(section.key, section) != section:
        raise ValueError(f"Organisation page section {section.key!r} is already registered.")
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    """The organisation page's sections in their order."""
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


@dataclass
class _Hooks:
    # {organisation id: day of its last verified activity} for the given ids (activities).
    last_verified_activity_on: Callable[[list[int]], dict[int, date]] | None = None
    # An Exists() of the organisation's link to a branch active today, for OuterRef("pk")
    # (party_branches).
    active_branch_exists: Callable[[], Exists] | None = None


HOOKS = _Hooks()


def register_last_verified_activity(function: Callable[[list[int]], dict[int, date]]) -> None:
    HOOKS.last_verified_activity_on = function


def register_active_branch_exists(function: Callable[[], Exists]) -> None:
    HOOKS.active_branch_exists = function


def _required(name: str):
    function = getattr(HOOKS, name)
    if function is None:
        raise RuntimeError(f"No app registered orgs.contributions hook {name!r}.")
    return function


def last_verified_activity_on(organization_ids: list[int]) -> dict[int, date]:
    return _required("last_verified_activity_on")(organization_ids)


def active_branch_exists() -> Exists:
    return _required("active_branch_exists")()
