"""Role-and-area scoping: the one place that decides which rows a user may see or change.

Every scoped model's queryset subclasses `ScopedQuerySet` and names the lookups from the
model to its township, community and organisation. Views never filter by area themselves:
they start from `Model.objects.visible_to(user)` or `.editable_by(user)`, and an object out
of scope answers 404 like a missing one. The filter fails closed: a user without a role or
area, or a model without a matching lookup, gets no rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from django.db import models
from django.db.models import Q

from accounts.roles import Role


class Level(models.TextChoices):
    """The area a scope is bounded by: querysets say how their rows map to each level."""

    # Installation-wide (a province's staff, superusers), one city's counties, one county.
    ALL = "all"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    COMMUNITY = "community"
    ORGANIZATION = "organization"
    NONE = ""


# The level of each role's area (county-wide roles: their county, their city's counties, or
# every county when the account names neither; superusers: every county).
ROLE_LEVELS = {
    Role.COUNTY_ADMIN: Level.COUNTY,
    Role.OFFICIAL: Level.COUNTY,
    Role.TOWNSHIP_STAFF: Level.TOWNSHIP,
    Role.SECRETARY: Level.COMMUNITY,
    Role.ORG_CONTACT: Level.ORGANIZATION,
}


@dataclass(frozen=True)
class Scope:
    """What a user's role and area allow, resolved once per user."""

    role: str
    county_wide: bool
    read_only: bool
    township_id: int | None = None
    community_id: int | None = None
    organization_id: int | None = None
    level: str = Level.NONE
    # The counties whose rows the scope reaches (None: every county of the installation).
    county_ids: frozenset[int] | None = frozenset()
    county_id: int | None = None
    city_id: int | None = None

    def covers_county(self, county_id: int | None) -> bool:
        """Whether rows of this county are within the scope's counties."""
        return self.county_ids is None or county_id in self.county_ids

    @property
    def narrow(self) -> bool:
        """Whether the scope reaches less than every county (a query over its rows is better
        started from them than from a pass over the whole installation)."""
        return not self.county_wide or self.county_ids is not None

    @classmethod
    def nothing(cls) -> Scope:
        return cls(role="", county_wide=False, read_only=True)


def scope_for(user) -> Scope:
    """Resolve the user's scope; anonymous and inactive users get nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope.nothing()
    cached = getattr(user, "_registry_scope", None)
    if cached is not None:
        return cached
    township_id = community_id = organization_id = county_id = city_id = None
    township = None
    if user.role == Role.TOWNSHIP_STAFF and user.township_id:
        township = user.township
    elif user.role == Role.SECRETARY and user.community_id:
        community_id = user.community_id
        township = user.community.township
    elif user.role == Role.ORG_CONTACT and user.organization_id:
        organization_id = user.organization_id
        community_id = user.organization.community_id
        township = user.organization.community.township
    if township is not None:
        township_id, county_id = township.pk, township.county_id
    role = user.effective_role
    county_wide = user.is_county_wide
    level: str = ROLE_LEVELS.get(role, Level.NONE)
    county_ids: frozenset[int] | None = frozenset({county_id}) if county_id else frozenset()
    if county_wide:
        level, county_ids = _wide_level(user)
        county_id = user.county_id if level == Level.COUNTY else None
        city_id = user.city_id if level == Level.CITY else None
    scope = Scope(
        role=role,
        county_wide=county_wide,
        read_only=user.is_read_only,
        township_id=township_id,
        community_id=community_id,
        organization_id=organization_id,
        level=level,
        county_ids=county_ids,
        county_id=county_id,
        city_id=city_id,
    )
    user._registry_scope = scope
    return scope


def _wide_level(user) -> tuple[str, frozenset[int] | None]:
    """The level and counties of a county-wide account: its county, its city's counties, or
    every county (a superuser, or an account that names neither: a province's staff)."""
    if user.is_superuser or not (user.county_id or user.city_id):
        return Level.ALL, None
    if user.county_id:
        return Level.COUNTY, frozenset({user.county_id})
    ids = user.city.counties.values_list("pk", flat=True)
    return Level.CITY, frozenset(ids)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows map to areas; subclasses set the lookups."""

    # Lookup from the model to the township id, the community id and the organisation id,
    # e.g. "community__township", "community", "organization". None when it doesn't apply.
    township_lookup: str | None = None
    community_lookup: str | None = None
    organization_lookup: str | None = None
    # Lookup to the county id; by default the township's county.
    county_lookup: str | None = None
    # The levels whose users change rows within their area (county admins change everything).
    editor_levels: frozenset[str] = frozenset({Level.TOWNSHIP})
    # Rows published to every signed-in account with a role, whatever its area (the ranking).
    published: bool = False

    def _area_filter(self, scope: Scope) -> Q | None:
        if scope.level == Level.TOWNSHIP:
            candidates = [(self.township_lookup, scope.township_id)]
        elif scope.level == Level.COMMUNITY:
            candidates = [
                (self.community_lookup, scope.community_id),
                (self.township_lookup, scope.township_id),
            ]
        elif scope.level == Level.ORGANIZATION:
            candidates = [
                (self.organization_lookup, scope.organization_id),
                (self.community_lookup, scope.community_id),
                (self.township_lookup, scope.township_id),
            ]
        else:
            return None
        for lookup, value in candidates:
            if lookup is not None:
                return Q(**{lookup: value}) if value is not None else None
        return None

    def _county_path(self) -> str | None:
        """The lookup from a row to its county id (None: the rows have no county)."""
        if self.county_lookup is not None:
            return self.county_lookup
        if self.township_lookup == "pk":
            return "county"
        if self.township_lookup is not None:
            return f"{self.township_lookup}__county"
        return None

    def _county_filter(self, scope: Scope) -> Q | None:
        """The rows of the scope's counties: Q() for every county, None for no row."""
        if scope.county_ids is None:
            return Q()
        path = self._county_path()
        if path is None or not scope.county_ids:
            return None
        ids = sorted(scope.county_ids)
        return Q(**{path: ids[0]}) if len(ids) == 1 else Q(**{f"{path}__in": ids})

    def in_county(self, county) -> Self:
        """The rows of one county (whoever asks: combine with visible_to for a user)."""
        path = self._county_path()
        if path is None:
            return self.none()
        return self.filter(**{path: getattr(county, "pk", county)})

    def visible_to(self, user) -> Self:
        """Rows the user may see: county-wide roles see their counties', others their own
        area's; published rows are seen by every role within its county."""
        scope = scope_for(user)
        if scope.county_wide or (self.published and scope.role):
            counties = self._county_filter(scope)
            return self.filter(counties) if counties is not None else self.none()
        condition = self._area_filter(scope)
        return self.filter(condition) if condition is not None else self.none()

    def editable_by(self, user) -> Self:
        """Rows the user may change: county admins their counties', editor roles their own
        area's."""
        scope = scope_for(user)
        if scope.read_only:
            return self.none()
        if scope.county_wide:
            counties = self._county_filter(scope)
            return self.filter(counties) if counties is not None else self.none()
        if scope.level not in self.editor_levels:
            return self.none()
        condition = self._area_filter(scope)
        return self.filter(condition) if condition is not None else self.none()
