"""What a merge carries from a merged organisation to the survivor: branch links, instructors.

A branch that included the merged organisation now includes the survivor instead (a joint
branch left with one organisation becomes a single one); an instructor still assigned to the
merged organisation ends there on the merge day and continues at the survivor, unless the
survivor already has an active instructor.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext

from orgs.models import Organization
from orgs.services.merges import PREVIEW_SAMPLE_SIZE, MoverPreview
from orgs.services.oversight import in_ledger_language
from party_branches.models import Branch, Formation, InstructorAssignment
from party_branches.services import MERGE_INSTRUCTOR_END_REASON


def _branches(organization: Organization):
    return Branch.objects.active().filter(organizations=organization).order_by("name", "pk")


def _instructors(organization: Organization, on: date | None = None):
    return InstructorAssignment.objects.active(on).filter(organization=organization)


def party_links_preview(*, survivor: Organization, organization: Organization) -> MoverPreview:
    """Active branches and instructors of the merged organisation that follow it."""
    names = [branch.name for branch in _branches(organization)[:PREVIEW_SAMPLE_SIZE]]
    instructors = list(_instructors(organization).order_by("instructor_name"))
    names += [
        gettext("Instructor %(name)s") % {"name": assignment.instructor_name}
        for assignment in instructors
    ]
    return MoverPreview(
        gettext("Temporary Party branches and instructors that move"),
        _branches(organization).count() + len(instructors),
        names[:PREVIEW_SAMPLE_SIZE],
    )


def move_party_links(
    *, actor, survivor: Organization, organization: Organization, merged_on: date
) -> dict:
    """Point the merged organisation's active branches and instructor at the survivor."""
    moved_branches = 0
    for branch in _branches(organization):
        branch.organizations.remove(organization)
        branch.organizations.add(survivor)
        update = []
        if branch.formation == Formation.JOINT and branch.organizations.count() < 2:
            branch.formation = Formation.SINGLE
            update.append("formation")
        townships = set(branch.organizations.values_list("community__township_id", flat=True))
        if len(townships) == 1 and branch.township_id not in townships:
            branch.township_id = townships.pop()
            update.append("township")
        if update:
            branch._history_user = actor
            branch._change_reason = f"merged into {survivor.name}"
            branch.full_clean()
            branch.save(update_fields=update)
        moved_branches += 1
    survivor_has_instructor = _instructors(survivor, merged_on).exists()
    moved_instructors = 0
    reason = in_ledger_language(MERGE_INSTRUCTOR_END_REASON, name=survivor.name)
    for assignment in _instructors(organization, merged_on).order_by("pk"):
        assignment.ended_on = max(merged_on, assignment.started_on)
        assignment.end_reason = reason
        assignment.full_clean()
        assignment.save(update_fields=["ended_on", "end_reason"])
        if survivor_has_instructor:
            continue
        InstructorAssignment.objects.create(
            organization=survivor,
            person=assignment.person,
            instructor_name=assignment.instructor_name,
            instructor_phone=assignment.instructor_phone,
            unit=assignment.unit,
            started_on=assignment.ended_on,
            assigned_by=actor,
        )
        survivor_has_instructor = True
        moved_instructors += 1
    # Only what moved goes into the merge's summary.
    counts = {"branches_moved": moved_branches, "instructors_moved": moved_instructors}
    return {key: value for key, value in counts.items() if value}
