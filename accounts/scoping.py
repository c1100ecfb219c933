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

    COUNTY = "county"
    TOWNSHIP = "township"
    COMMUNITY = "community"
    ORGANIZATION = "organization"
    NONE = ""


# The level of each role's area (county-wide roles and superusers: the county).
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
    township_id = community_id = organization_id = None
    if user.role == Role.TOWNSHIP_STAFF:
        township_id = user.township_id
    elif user.role == Role.SECRETARY and user.community_id:
        community_id = user.community_id
        township_id = user.community.township_id
    elif user.role == Role.ORG_CONTACT and user.organization_id:
        organization_id = user.organization_id
        community_id = user.organization.community_id
        township_id = user.organization.community.township_id
    role = user.effective_role
    county_wide = user.is_county_wide
    scope = Scope(
        role=role,
        county_wide=county_wide,
        read_only=user.is_read_only,
        township_id=township_id,
        community_id=community_id,
        organization_id=organization_id,
        level=Level.COUNTY if county_wide else ROLE_LEVELS.get(role, Level.NONE),
    )
    user._registry_scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows map to areas; subclasses set the lookups."""

    # Lookup from the model to the township id, the community id and the organisation id,
    # e.g. "community__township", "community", "organization". None when it doesn't apply.
    township_lookup: str | None = None
    community_lookup: str | None = None
    organization_lookup: str | None = None
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

    def visible_to(self, user) -> Self:
        """Rows the user may see: county-wide roles see all, others their own area."""
        scope = scope_for(user)
        if scope.county_wide or (self.published and scope.role):
            return self.all()
        condition = self._area_filter(scope)
        return self.filter(condition) if condition is not None else self.none()

    def editable_by(self, user) -> Self:
        """Rows the user may change: county admins all, editor roles their own area."""
        scope = scope_for(user)
        if scope.read_only:
            return self.none()
        if scope.county_wide:
            return self.all()
        if scope.level not in self.editor_levels:
            return self.none()
        condition = self._area_filter(scope)
        return self.filter(condition) if condition is not None else self.none()
