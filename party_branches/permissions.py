"""Who may act on branches beyond seeing them (seeing is `Branch.objects.visible_to`)."""

from accounts.roles import Role
from accounts.scoping import scope_for
from orgs.models import Organization
from party_branches.models import Branch

BRANCH_EDITOR_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})


def can_set_up_branches(user) -> bool:
    """County admins and township staff set up branches and assign instructors."""
    scope = scope_for(user)
    if scope.read_only:
        return False
    return user.is_superuser or scope.role in BRANCH_EDITOR_ROLES


def can_edit_branch(user, branch: Branch) -> bool:
    """Change members, dissolve: county admins, township staff of the branch's township."""
    return Branch.objects.editable_by(user).filter(pk=branch.pk).exists()


def meeting_recordable_branches(user):
    """Branches whose meetings the user may record: editors' and the secretary's community's."""
    scope = scope_for(user)
    if scope.read_only:
        return Branch.objects.none()
    if scope.role == Role.SECRETARY:
        return Branch.objects.visible_to(user)
    return Branch.objects.editable_by(user)


def can_record_meetings(user, branch: Branch) -> bool:
    return meeting_recordable_branches(user).filter(pk=branch.pk).exists()


def can_manage_instructors(user, organization: Organization) -> bool:
    """Assign or end instructors: whoever may edit the organisation's ledger and set up branches."""
    return (
        can_set_up_branches(user)
        and Organization.objects.editable_by(user).filter(pk=organization.pk).exists()
    )


def can_manage_frequencies(user) -> bool:
    """The required frequencies are the county administrator's to change."""
    scope = scope_for(user)
    return not scope.read_only and (user.is_superuser or scope.role == Role.COUNTY_ADMIN)
