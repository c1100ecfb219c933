"""Who may import ledgers (exports are open to every role, each file scoped to its reader)."""

from accounts.policies import may
from accounts.scoping import Level, Scope


def can_import(user) -> bool:
    """County administrators (any township) and township staff (their own) import ledgers."""
    return may(user, "exports.import")


def may_import_into(scope: Scope, community) -> bool:
    """Whether an import by this scope may write rows of the community."""
    if scope.county_wide:
        return scope.covers_county(community.township.county_id)
    return scope.level == Level.TOWNSHIP and community.township_id == scope.township_id
