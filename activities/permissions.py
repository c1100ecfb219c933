"""Who may record and who may verify activities, mediation cases and feedback.

Recording: an organisation contact for their own organisation; secretaries, township staff
and the county admin for the organisations they can see. Verifying: the secretary of the
served community, township staff of its township, and the county admin.
"""

from accounts.policies import may
from accounts.scoping import Level, scope_for
from areas.models import Community
from orgs.models import Organization


def may_record(user) -> bool:
    """Whether the user records anything at all (officials and anonymous users don't)."""
    return may(user, "activities.record")


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
    return may(user, "activities.verify")


def can_verify(user, community) -> bool:
    """Whether the user verifies records serving this community."""
    if not may_verify(user):
        return False
    scope = scope_for(user)
    if scope.county_wide:
        return scope.covers_county(community.township.county_id)
    if scope.level == Level.TOWNSHIP:
        return scope.township_id is not None and community.township_id == scope.township_id
    if scope.level == Level.COMMUNITY:
        return scope.community_id is not None and community.pk == scope.community_id
    return False


def can_record_phone_survey(user, organization) -> bool:
    """Staff (not the organisation itself) enter phone-survey results."""
    if not may_verify(user):
        return False
    return Organization.objects.visible_to(user).filter(pk=organization.pk).exists()
