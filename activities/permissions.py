"""Who may record and who may verify activities, mediation cases and feedback.

Recording: an organisation contact for their own organisation; secretaries, township staff
and the county admin for the organisations they can see. Verifying: the secretary of the
served community, township staff of its township, and the county admin.
"""

from accounts.roles import Role
from accounts.scoping import scope_for
from areas.models import Community
from orgs.models import Organization

RECORDER_ROLES = frozenset(
    {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SECRETARY, Role.ORG_CONTACT}
)
VERIFIER_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.SECRETARY})


def _active_role(user) -> str:
    scope = scope_for(user)
    if scope.read_only:
        return ""
    if getattr(user, "is_superuser", False):
        return Role.COUNTY_ADMIN
    return scope.role


def may_record(user) -> bool:
    """Whether the user records anything at all (officials and anonymous users don't)."""
    return _active_role(user) in RECORDER_ROLES


def recordable_organizations(user):
    """Organisations the user may record activities and mediation cases for."""
    if not may_record(user):
        return Organization.objects.none()
    return Organization.objects.visible_to(user).active()


def recordable_communities(user):
    """Communities a record of the user may serve: their own area (county roles: all)."""
    if not may_record(user):
        return Community.objects.none()
    return Community.objects.visible_to(user).filter(is_active=True)


def co_organizer_choices(user):
    """Organisations the user may name as co-organisers: those of their own area."""
    return Organization.objects.active().filter(community__in=recordable_communities(user))


def can_record_for(user, organization) -> bool:
    return recordable_organizations(user).filter(pk=organization.pk).exists()


def may_verify(user) -> bool:
    return _active_role(user) in VERIFIER_ROLES


def can_verify(user, community) -> bool:
    """Whether the user verifies records serving this community."""
    role = _active_role(user)
    scope = scope_for(user)
    if role == Role.COUNTY_ADMIN:
        return True
    if role == Role.TOWNSHIP_STAFF:
        return scope.township_id is not None and community.township_id == scope.township_id
    if role == Role.SECRETARY:
        return scope.community_id is not None and community.pk == scope.community_id
    return False


def can_record_phone_survey(user, organization) -> bool:
    """Staff (not the organisation itself) enter phone-survey results."""
    if _active_role(user) not in VERIFIER_ROLES:
        return False
    return Organization.objects.visible_to(user).filter(pk=organization.pk).exists()
