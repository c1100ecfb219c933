"""What a user may do in the ledger beyond seeing and changing rows of their area."""

from django.db.models import Q

from accounts.policies import acting_role, may
from accounts.roles import Role
from accounts.scoping import scope_for
from orgs.models import Organization, ZombieFlag


def can_see_sensitive(user) -> bool:
    """Whether the user may reveal full ID numbers and mobiles (each reveal is logged)."""
    if may(user, "orgs.see_sensitive"):
        return True
    return (
        bool(acting_role(user))
        and not scope_for(user).read_only
        and user.has_perm("orgs.view_sensitive_data")
    )


def can_create_organization(user) -> bool:
    """County admins and township staff add organisations (township staff in their area)."""
    return may(user, "orgs.create")


def can_merge(user) -> bool:
    """Merging organisations is the county administrator's act."""
    return may(user, "orgs.merge")


def can_merge_people(user) -> bool:
    """County administrators and township staff fold duplicate residents together."""
    return may(user, "orgs.merge_people")


def can_manage_credit_listings(user) -> bool:
    """Listing and delisting is the registration authority's act: county admins only."""
    return may(user, "orgs.manage_credit_listings")


def may_keep_ledger(keeper, community) -> bool:
    """Whether the account may keep an organisation of the community: an active county
    administrator, or active township staff of the community's township."""
    if not keeper.is_active:
        return False
    if keeper.role == Role.COUNTY_ADMIN:
        return True
    return (
        keeper.role == Role.TOWNSHIP_STAFF
        and community is not None
        and keeper.township_id == community.township_id
    )


def ledger_keepers_condition(townships) -> Q:
    """Accounts that may keep organisations in the townships (a filter on users)."""
    return Q(role=Role.COUNTY_ADMIN) | Q(role=Role.TOWNSHIP_STAFF, township__in=townships)


def can_record_inspection(user, organization: Organization) -> bool:
    """County admins everywhere, township staff in their township."""
    return Organization.objects.editable_by(user).filter(pk=organization.pk).exists()


def can_resolve_zombie_flag(user, flag: ZombieFlag) -> bool:
    """County admins everywhere, township staff in their township."""
    return ZombieFlag.objects.editable_by(user).filter(pk=flag.pk).exists()
