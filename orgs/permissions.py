"""What a user may do in the ledger beyond seeing and changing rows of their area."""

from accounts.roles import Role
from accounts.scoping import scope_for

SENSITIVE_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


def can_see_sensitive(user) -> bool:
    """Whether the user may reveal full ID numbers and mobiles (each reveal is logged)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    scope = scope_for(user)
    if scope.read_only:
        return False
    return scope.role in SENSITIVE_ROLES or user.has_perm("orgs.view_sensitive_data")


def can_create_organization(user) -> bool:
    """County admins and township staff add organisations (township staff in their area)."""
    scope = scope_for(user)
    if scope.read_only:
        return False
    return user.is_superuser or scope.role in {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF}


def can_merge(user) -> bool:
    """Merging organisations is the county administrator's act."""
    scope = scope_for(user)
    return not scope.read_only and (user.is_superuser or scope.role == Role.COUNTY_ADMIN)
