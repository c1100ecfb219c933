"""Who may act on branches beyond seeing them (seeing is `Branch.objects.visible_to`)."""

from accounts.policies import may
from orgs.models import Organization
from party_branches.models import Branch


def can_set_up_branches(user) -> bool:
    """County admins and township staff set up branches and assign instructors."""
    return may(user, "party_branches.set_up")


def can_edit_branch(user, branch: Branch) -> bool:
    """Change members, dissolve: county admins, township staff of the branch's township."""
    return Branch.objects.editable_by(user).filter(pk=branch.pk).exists()


def meeting_recordable_branches(user):
    """Branches whose meetings the user may record: editors' and the secretary's community's."""
    if may(user, "party_branches.set_up"):
        return Branch.objects.editable_by(user)
    if may(user, "party_branches.record_meetings_in_community"):
        return Branch.objects.visible_to(user)
    return Branch.objects.none()


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
    return may(user, "party_branches.manage_frequencies")
