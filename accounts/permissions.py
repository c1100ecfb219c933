"""Checks of what a user may do beyond rows: creating things, managing the county."""

from accounts.roles import Role
from accounts.scoping import scope_for


def can_manage_areas(user) -> bool:
    """Only county administrators add or rename townships and communities."""
    scope = scope_for(user)
    return not scope.read_only and (user.is_superuser or scope.role == Role.COUNTY_ADMIN)
