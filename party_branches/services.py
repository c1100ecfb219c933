"""Every change to branches, their members, meetings and instructors: checked and audited.

Rules (支部工作条例 and the county's programme): a branch is set up with 3+ formal Party members
(正式党员) drawn from the current members of its organisations who are Party members; a joint
branch spans 2–5 organisations of one township; at most 50 members; a person is in at most one
active branch; a dissolved branch keeps its records; meeting attendees are branch members on
the meeting's day, and meetings are recorded only for days the branch was active.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.identifiers import validate_mobile
from core.services import audit_record
from core.text import clean_name, clean_text
from orgs.models import Organization, Person
from party_branches import rules
from party_branches.models import (
    Branch,
    BranchMember,
    Formation,
    InstructorAssignment,
    Meeting,
    MeetingAbsence,
    MeetingAttachment,
    MeetingKind,
    PartyStatus,
    RequiredFrequency,
)
from party_branches.permissions import (
    can_edit_branch,
    can_manage_frequencies,
    can_manage_instructors,
    can_record_meetings,
    can_set_up_branches,
)

BRANCH_NO_ORGANIZATION_MESSAGE = _("Choose the organisation the branch is set up in.")
BRANCH_SINGLE_ONE_ORGANIZATION_MESSAGE = _(
    "A branch formed singly is set up in exactly one organisation."
)
BRANCH_JOINT_TOO_FEW_MESSAGE = _(
    "A branch formed jointly spans at least %(min)s organisations; %(count)s chosen."
)
BRANCH_JOINT_TOO_MANY_MESSAGE = _(
    "A branch formed jointly spans at most %(max)s organisations; %(count)s chosen."
)
BRANCH_ONE_TOWNSHIP_MESSAGE = _(
    "All organisations of a joint branch must be in one township: %(names)s are not in "
    "%(township)s."
)
BRANCH_ORGANIZATION_INACTIVE_MESSAGE = _(
    "%(name)s is no longer active (merged, deregistered or revoked)."
)
BRANCH_ORGANIZATION_HAS_BRANCH_MESSAGE = _("%(name)s already has the active branch “%(branch)s”.")
BRANCH_NAME_REQUIRED_MESSAGE = _("Give the branch a name.")
BRANCH_PARENT_REQUIRED_MESSAGE = _("Give the parent Party organisation.")
BRANCH_DATE_FUTURE_MESSAGE = _("The date cannot be in the future.")
BRANCH_TOO_FEW_FORMAL_MESSAGE = _(
    "The chosen members include only %(count)s formal Party members; at least %(required)s are "
    "needed to set up a branch."
)
BRANCH_TOO_MANY_MEMBERS_MESSAGE = _(
    "A branch has at most %(max)s members; %(count)s chosen. Split it into two branches."
)
BRANCH_NOT_ELIGIBLE_MESSAGE = _(
    "%(names)s cannot join: only current members of the branch's organisations who are Party "
    "members can."
)
BRANCH_ALREADY_IN_BRANCH_MESSAGE = _(
    "%(person)s is already a member of the active branch “%(branch)s”; a person can be in only "
    "one temporary branch at a time."
)
BRANCH_SECRETARY_NOT_FORMAL_MEMBER_MESSAGE = _(
    "The branch secretary must be one of its formal Party members."
)
BRANCH_DISSOLVED_MESSAGE = _("This branch has been dissolved; its records are kept read-only.")
BRANCH_JOINED_BEFORE_ESTABLISHED_MESSAGE = _(
    "The date cannot be before the branch was set up (%(established_on)s)."
)
MEMBER_NOT_CURRENT_MESSAGE = _("%(person)s has already left the branch.")
MEMBER_LEFT_BEFORE_JOINED_MESSAGE = _(
    "The leaving date cannot be before %(person)s joined (%(joined_on)s)."
)
MEMBER_REMOVAL_TOO_FEW_FORMAL_MESSAGE = _(
    "Removing %(person)s would leave only %(count)s formal Party members; a branch needs at least "
    "%(required)s. Add a formal member first, or dissolve the branch."
)
MEMBER_REASON_REQUIRED_MESSAGE = _("Give the reason for leaving.")
DISSOLVE_REASON_REQUIRED_MESSAGE = _("Give the reason for dissolving the branch.")
DISSOLVE_BEFORE_MEETING_MESSAGE = _(
    "The branch held a meeting on %(held_on)s: it cannot be dissolved before that day."
)
DISSOLVE_BEFORE_JOINED_MESSAGE = _(
    "%(person)s joined the branch on %(joined_on)s: it cannot be dissolved before that day."
)
MEETING_DATE_FUTURE_MESSAGE = _("A meeting cannot be recorded for a day in the future.")
MEETING_BEFORE_ESTABLISHED_MESSAGE = _(
    "The branch was set up on %(established_on)s: a meeting cannot be recorded before that day."
)
MEETING_AFTER_DISSOLVED_MESSAGE = _(
    "The branch was dissolved on %(dissolved_on)s: no meeting can be recorded from that day."
)
MEETING_TOPIC_REQUIRED_MESSAGE = _("Give the meeting's topic.")
MEETING_NO_ATTENDEES_MESSAGE = _("Tick the members who attended.")
MEETING_ATTENDEE_NOT_MEMBER_MESSAGE = _("%(names)s were not members of the branch on %(held_on)s.")
MEETING_ROLE_NOT_MEMBER_MESSAGE = _("Choose a member of the branch on the day of the meeting.")
MEETING_ATTACHMENT_TYPE_MESSAGE = _(
    "Attach the minutes as PDF, Word or an image, or photos as JPEG or PNG."
)
MEETING_ATTACHMENT_EXTENSIONS = {
    ".pdf": MeetingAttachment.Kind.MINUTES,
    ".doc": MeetingAttachment.Kind.MINUTES,
    ".docx": MeetingAttachment.Kind.MINUTES,
    ".jpg": MeetingAttachment.Kind.PHOTO,
    ".jpeg": MeetingAttachment.Kind.PHOTO,
    ".png": MeetingAttachment.Kind.PHOTO,
}
INSTRUCTOR_NAME_REQUIRED_MESSAGE = _("Give the instructor's name or choose them from the ledger.")
INSTRUCTOR_ALREADY_ACTIVE_MESSAGE = _(
    "%(name)s already has the instructor %(instructor)s; end that assignment first."
)
INSTRUCTOR_ENDED_MESSAGE = _("This assignment has already ended.")
INSTRUCTOR_END_BEFORE_START_MESSAGE = _(
    "The end date cannot be before the assignment started (%(started_on)s)."
)
MERGE_INSTRUCTOR_END_REASON = _("The organisation was merged into %(name)s")
FREQUENCY_COUNT_MESSAGE = _("The number of meetings per period must be between 0 and 31.")


def _add(errors: dict, field: str, message, **params) -> None:
    errors.setdefault(field, []).append(ValidationError(message, params=params or None))


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _names(items: Iterable) -> str:
    return "、".join(str(item) for item in items)


def _check_not_future(errors: dict, field: str, day: date) -> None:
    if day > timezone.localdate():
        _add(errors, field, BRANCH_DATE_FUTURE_MESSAGE)


def _save(instance, *, actor, reason: str = "", update_fields=None) -> None:
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.full_clean()
    instance.save(update_fields=update_fields)


# --- Who may join ------------------------------------------------------------------------


def eligible_people(*, organizations: Iterable[Organization]):
    """Party members among the current members of the organisations (candidates for a branch)."""
    return (
        Person.objects.current()
        .filter(
            is_party_member=True,
            memberships__organization__in=list(organizations),
            memberships__left_on__isnull=True,
        )
        .distinct()
        .order_by("name", "pk")
    )


def _current_branch_memberships(people_ids: Iterable[int], *, exclude_branch: Branch | None = None):
    memberships = BranchMember.objects.current().filter(person_id__in=list(people_ids))
    if exclude_branch is not None:
        memberships = memberships.exclude(branch=exclude_branch)
    return memberships.select_related("person", "branch").order_by("person__name")


def _check_joiners(
    errors: dict,
    people: list[Person],
    *,
    organizations: list[Organization],
    branch: Branch | None = None,
    field: str = "member_people",
) -> None:
    eligible_ids = set(eligible_people(organizations=organizations).values_list("pk", flat=True))
    outsiders = [person for person in people if person.pk not in eligible_ids]
    if outsiders:
        _add(errors, field, BRANCH_NOT_ELIGIBLE_MESSAGE, names=_names(outsiders))
    for membership in _current_branch_memberships(
        [person.pk for person in people], exclude_branch=None
    ):
        _add(
            errors,
            field,
            BRANCH_ALREADY_IN_BRANCH_MESSAGE,
            person=membership.person.name,
            branch=membership.branch.name,
        )


def _formal_count(people: Iterable[Person]) -> int:
    return sum(
        1
        for person in people
        if person.is_party_member and person.party_status == Person.PartyStatus.FULL
    )


# --- Branches ----------------------------------------------------------------------------


@transaction.atomic
def branch_create(
    *,
    actor,
    organizations: Iterable[Organization],
    formation: str,
    name: str,
    parent_org: str,
    established_on: date,
    member_people: Iterable[Person],
    secretary: Person | None = None,
) -> Branch:
    """Set up a temporary Party branch with its first members, all at once."""
    organizations = list({organization.pk: organization for organization in organizations}.values())
    people = list({person.pk: person for person in member_people}.values())
    if not can_set_up_branches(actor):
        raise PermissionDenied
    editable = set(
        Organization.objects.editable_by(actor)
        .filter(pk__in=[organization.pk for organization in organizations])
        .values_list("pk", flat=True)
    )
    if any(organization.pk not in editable for organization in organizations):
        raise PermissionDenied
    organizations = list(
        Organization.objects.select_related("community__township")
        .filter(pk__in=[organization.pk for organization in organizations])
        .order_by("name")
    )
    name, parent_org = clean_name(name), clean_name(parent_org)

    errors: dict = {}
    count = len(organizations)
    if not organizations:
        _add(errors, "organizations", BRANCH_NO_ORGANIZATION_MESSAGE)
    elif formation == Formation.SINGLE and count != 1:
        _add(errors, "organizations", BRANCH_SINGLE_ONE_ORGANIZATION_MESSAGE)
    elif formation == Formation.JOINT and count < rules.JOINT_MIN_ORGANIZATIONS:
        _add(
            errors,
            "organizations",
            BRANCH_JOINT_TOO_FEW_MESSAGE,
            min=rules.JOINT_MIN_ORGANIZATIONS,
            count=count,
        )
    elif formation == Formation.JOINT and count > rules.JOINT_MAX_ORGANIZATIONS:
        _add(
            errors,
            "organizations",
            BRANCH_JOINT_TOO_MANY_MESSAGE,
            max=rules.JOINT_MAX_ORGANIZATIONS,
            count=count,
        )
    township = organizations[0].community.township if organizations else None
    others = [o for o in organizations if o.community.township_id != getattr(township, "pk", None)]
    if others:
        _add(
            errors,
            "organizations",
            BRANCH_ONE_TOWNSHIP_MESSAGE,
            names=_names(others),
            township=township.name,
        )
    for organization in organizations:
        if not organization.is_active:
            _add(
                errors,
                "organizations",
                BRANCH_ORGANIZATION_INACTIVE_MESSAGE,
                name=organization.name,
            )
    existing = (
        Branch.objects.active()
        .filter(organizations__in=organizations)
        .prefetch_related("organizations")
        .distinct()
    )
    chosen_ids = {organization.pk for organization in organizations}
    for branch in existing:
        for organization in branch.organizations.all():
            if organization.pk in chosen_ids:
                _add(
                    errors,
                    "organizations",
                    BRANCH_ORGANIZATION_HAS_BRANCH_MESSAGE,
                    name=organization.name,
                    branch=branch.name,
                )
    if not name:
        _add(errors, "name", BRANCH_NAME_REQUIRED_MESSAGE)
    if not parent_org:
        _add(errors, "parent_org", BRANCH_PARENT_REQUIRED_MESSAGE)
    _check_not_future(errors, "established_on", established_on)
    if organizations:
        _check_joiners(errors, people, organizations=organizations)
    if len(people) > rules.MAX_MEMBERS:
        _add(
            errors,
            "member_people",
            BRANCH_TOO_MANY_MEMBERS_MESSAGE,
            max=rules.MAX_MEMBERS,
            count=len(people),
        )
    formal = _formal_count(people)
    if formal < rules.MIN_FORMAL_MEMBERS:
        _add(
            errors,
            "member_people",
            BRANCH_TOO_FEW_FORMAL_MESSAGE,
            count=formal,
            required=rules.MIN_FORMAL_MEMBERS,
        )
    if secretary is not None and (
        secretary.pk not in {person.pk for person in people}
        or secretary.party_status != Person.PartyStatus.FULL
    ):
        _add(errors, "secretary", BRANCH_SECRETARY_NOT_FORMAL_MEMBER_MESSAGE)
    _raise_if(errors)

    branch = Branch(
        name=name,
        formation=formation,
        township=township,
        parent_org=parent_org,
        established_on=established_on,
        secretary=secretary,
    )
    _save(branch, actor=actor)
    branch.organizations.set(organizations)
    for person in people:
        _save(_new_member(branch, person, joined_on=established_on), actor=actor)
    audit_record(
        actor=actor,
        action="branch.create",
        obj=branch,
        summary=f"{branch.name}（{_names(organizations)}）",
        changes={
            "organizations": sorted(chosen_ids),
            "members": sorted(person.pk for person in people),
            "formal_members": formal,
        },
    )
    return branch


def _new_member(branch: Branch, person: Person, *, joined_on: date) -> BranchMember:
    return BranchMember(
        branch=branch,
        person=person,
        party_status=person.party_status or PartyStatus.PROBATIONARY,
        relation_place=person.party_relation_place,
        joined_on=joined_on,
    )


def _require_editable(actor, branch: Branch) -> None:
    if not can_edit_branch(actor, branch):
        raise PermissionDenied


def _require_active(branch: Branch, field: str = "branch") -> None:
    if branch.dissolved_on is not None:
        raise ValidationError({field: [ValidationError(BRANCH_DISSOLVED_MESSAGE)]})


@transaction.atomic
def branch_add_member(*, actor, branch: Branch, person: Person, joined_on: date) -> BranchMember:
    """Add a Party member of one of the branch's organisations to the branch."""
    _require_editable(actor, branch)
    branch = Branch.objects.select_for_update().get(pk=branch.pk)
    _require_active(branch, "person")
    errors: dict = {}
    _check_joiners(errors, [person], organizations=list(branch.organizations.all()), field="person")
    members = branch.members.current().count()
    if members + 1 > rules.MAX_MEMBERS:
        _add(
            errors,
            "person",
            BRANCH_TOO_MANY_MEMBERS_MESSAGE,
            max=rules.MAX_MEMBERS,
            count=members + 1,
        )
    _check_not_future(errors, "joined_on", joined_on)
    if joined_on < branch.established_on:
        _add(
            errors,
            "joined_on",
            BRANCH_JOINED_BEFORE_ESTABLISHED_MESSAGE,
            established_on=branch.established_on.isoformat(),
        )
    _raise_if(errors)
    member = _new_member(branch, person, joined_on=joined_on)
    _save(member, actor=actor)
    audit_record(
        actor=actor,
        action="branch.member_add",
        obj=branch,
        summary=f"{person.name} → {branch.name}",
        changes={"person": person.pk, "party_status": member.party_status},
    )
    return member


@transaction.atomic
def branch_remove_member(
    *, actor, branch: Branch, member: BranchMember, left_on: date, reason: str
) -> BranchMember:
    """Close a member's branch membership (the row stays); the branch keeps 3+ formal members."""
    _require_editable(actor, branch)
    branch = Branch.objects.select_for_update().get(pk=branch.pk)
    _require_active(branch, "left_on")
    member = BranchMember.objects.select_related("person").get(pk=member.pk, branch=branch)
    reason = clean_text(reason)
    errors: dict = {}
    if member.left_on is not None:
        _add(errors, "left_on", MEMBER_NOT_CURRENT_MESSAGE, person=member.person.name)
        _raise_if(errors)
    _check_not_future(errors, "left_on", left_on)
    if left_on < member.joined_on:
        _add(
            errors,
            "left_on",
            MEMBER_LEFT_BEFORE_JOINED_MESSAGE,
            person=member.person.name,
            joined_on=member.joined_on.isoformat(),
        )
    if not reason:
        _add(errors, "reason", MEMBER_REASON_REQUIRED_MESSAGE)
    formal_left = (
        branch.members.current().filter(party_status=PartyStatus.FULL).exclude(pk=member.pk).count()
    )
    if member.is_formal and formal_left < rules.MIN_FORMAL_MEMBERS:
        _add(
            errors,
            "left_on",
            MEMBER_REMOVAL_TOO_FEW_FORMAL_MESSAGE,
            person=member.person.name,
            count=formal_left,
            required=rules.MIN_FORMAL_MEMBERS,
        )
    _raise_if(errors)
    member.left_on = left_on
    member.left_reason = reason
    _save(member, actor=actor, reason=reason, update_fields=["left_on", "left_reason"])
    if branch.secretary_id == member.person_id:
        branch.secretary = None
        _save(branch, actor=actor, reason=reason, update_fields=["secretary"])
    audit_record(
        actor=actor,
        action="branch.member_remove",
        obj=branch,
        summary=f"{member.person.name} ← {branch.name}: {reason}",
        changes={"person": member.person_id, "left_on": left_on.isoformat()},
    )
    return member


@transaction.atomic
def branch_dissolve(*, actor, branch: Branch, dissolved_on: date, reason: str) -> Branch:
    """Dissolve a branch: it and its memberships close on the day; every record is kept."""
    _require_editable(actor, branch)
    branch = Branch.objects.select_for_update().get(pk=branch.pk)
    _require_active(branch, "reason")
    reason = clean_text(reason)
    errors: dict = {}
    if not reason:
        _add(errors, "reason", DISSOLVE_REASON_REQUIRED_MESSAGE)
    _check_not_future(errors, "dissolved_on", dissolved_on)
    if dissolved_on < branch.established_on:
        _add(
            errors,
            "dissolved_on",
            BRANCH_JOINED_BEFORE_ESTABLISHED_MESSAGE,
            established_on=branch.established_on.isoformat(),
        )
    last_meeting = branch.meetings.filter(held_on__gte=dissolved_on).order_by("-held_on").first()
    if last_meeting is not None:
        _add(
            errors,
            "dissolved_on",
            DISSOLVE_BEFORE_MEETING_MESSAGE,
            held_on=last_meeting.held_on.isoformat(),
        )
    late = (
        branch.members.current()
        .filter(joined_on__gt=dissolved_on)
        .select_related("person")
        .order_by("-joined_on")
        .first()
    )
    if late is not None:
        _add(
            errors,
            "dissolved_on",
            DISSOLVE_BEFORE_JOINED_MESSAGE,
            person=late.person.name,
            joined_on=late.joined_on.isoformat(),
        )
    _raise_if(errors)
    closed = 0
    for member in branch.members.current().order_by("pk"):
        member.left_on = dissolved_on
        member.left_reason = reason
        _save(member, actor=actor, reason=reason, update_fields=["left_on", "left_reason"])
        closed += 1
    branch.dissolved_on = dissolved_on
    branch.dissolution_reason = reason
    _save(branch, actor=actor, reason=reason, update_fields=["dissolved_on", "dissolution_reason"])
    audit_record(
        actor=actor,
        action="branch.dissolve",
        obj=branch,
        summary=f"{branch.name}: {reason}",
        changes={"dissolved_on": dissolved_on.isoformat(), "members_closed": closed},
    )
    return branch


# --- Meetings ----------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    actor,
    branch: Branch,
    kind: str,
    held_on: date,
    topic: str,
    attendees: Iterable[BranchMember],
    minutes: str = "",
    place: str = "",
    chair: BranchMember | None = None,
    note_taker: BranchMember | None = None,
    absence_reasons: dict[int, str] | None = None,
    attachments: Iterable = (),
) -> Meeting:
    """Record a meeting of the branch: who attended, chaired and took notes, the place, the
    minutes and attachments (minutes or photos).

    Every member in force on the day who did not attend is recorded as absent, with the reason
    given in `absence_reasons` (member id -> reason).
    """
    if not can_record_meetings(actor, branch):
        raise PermissionDenied
    branch = Branch.objects.get(pk=branch.pk)
    topic, minutes = clean_text(topic), clean_text(minutes)
    attendees = list({member.pk: member for member in attendees}.values())
    errors: dict = {}
    if held_on > timezone.localdate():
        _add(errors, "held_on", MEETING_DATE_FUTURE_MESSAGE)
    if held_on < branch.established_on:
        _add(
            errors,
            "held_on",
            MEETING_BEFORE_ESTABLISHED_MESSAGE,
            established_on=branch.established_on.isoformat(),
        )
    if branch.dissolved_on is not None and held_on >= branch.dissolved_on:
        _add(
            errors,
            "held_on",
            MEETING_AFTER_DISSOLVED_MESSAGE,
            dissolved_on=branch.dissolved_on.isoformat(),
        )
    if not topic:
        _add(errors, "topic", MEETING_TOPIC_REQUIRED_MESSAGE)
    if not attendees:
        _add(errors, "attendees", MEETING_NO_ATTENDEES_MESSAGE)
    in_force = set(
        BranchMember.objects.filter(branch=branch, pk__in=[member.pk for member in attendees])
        .on(held_on)
        .values_list("pk", flat=True)
    )
    absent = [member for member in attendees if member.pk not in in_force]
    if absent:
        people = Person.objects.filter(
            branch_memberships__pk__in=[member.pk for member in absent]
        ).order_by("name")
        _add(
            errors,
            "attendees",
            MEETING_ATTENDEE_NOT_MEMBER_MESSAGE,
            names=_names(people),
            held_on=held_on.isoformat(),
        )
    members_on_day = BranchMember.objects.filter(branch=branch).on(held_on)
    on_day_ids = set(members_on_day.values_list("pk", flat=True))
    for field, member in (("chair", chair), ("note_taker", note_taker)):
        if member is not None and member.pk not in on_day_ids:
            _add(errors, field, MEETING_ROLE_NOT_MEMBER_MESSAGE)
    attachments = list(attachments)
    for upload in attachments:
        if _attachment_kind(upload) is None:
            _add(errors, "attachments", MEETING_ATTACHMENT_TYPE_MESSAGE)
            break
    _raise_if(errors)
    meeting = Meeting(
        branch=branch,
        kind=kind,
        held_on=held_on,
        topic=topic,
        minutes=minutes,
        place=clean_text(place),
        chair=chair,
        note_taker=note_taker,
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    reasons = absence_reasons or {}
    attending = {member.pk for member in attendees}
    MeetingAbsence.objects.bulk_create(
        MeetingAbsence(meeting=meeting, member_id=pk, reason=clean_text(reasons.get(pk, ""))[:200])
        for pk in sorted(on_day_ids - attending)
    )
    for upload in attachments:
        MeetingAttachment.objects.create(
            meeting=meeting, kind=_attachment_kind(upload), file=upload
        )
    audit_record(
        actor=actor,
        action="branch.meeting_record",
        obj=meeting,
        summary=f"{branch.name} · {MeetingKind(kind).label} · {held_on.isoformat()}",
        changes={
            "kind": kind,
            "held_on": held_on.isoformat(),
            "attendees": len(attendees),
            "absentees": len(on_day_ids - attending),
            "attachments": len(attachments),
        },
    )
    return meeting


def _attachment_kind(upload) -> str | None:
    """Minutes or photo, from the file's extension; None when the type is not accepted."""
    name = str(getattr(upload, "name", "")).lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    return MEETING_ATTACHMENT_EXTENSIONS.get(suffix)


# --- Instructors -------------------------------------------------------------------------


@transaction.atomic
def instructor_assign(
    *,
    actor,
    organization: Organization,
    started_on: date,
    instructor_name: str = "",
    instructor_phone: str = "",
    person: Person | None = None,
    unit: str = "",
) -> InstructorAssignment:
    """Assign a Party-building instructor (党建指导员) to an organisation."""
    if not can_manage_instructors(actor, organization):
        raise PermissionDenied
    instructor_name = clean_name(instructor_name) or (person.name if person else "")
    unit = clean_name(unit)
    errors: dict = {}
    if not instructor_name:
        _add(errors, "instructor_name", INSTRUCTOR_NAME_REQUIRED_MESSAGE)
    phone = clean_text(instructor_phone)
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as error:
            errors.setdefault("instructor_phone", []).extend(error.error_list)
    _check_not_future(errors, "started_on", started_on)
    current = (
        InstructorAssignment.objects.active(timezone.localdate())
        .filter(organization=organization)
        .first()
    )
    if current is not None:
        _add(
            errors,
            "instructor_name",
            INSTRUCTOR_ALREADY_ACTIVE_MESSAGE,
            name=organization.name,
            instructor=current.instructor_name,
        )
    _raise_if(errors)
    assignment = InstructorAssignment(
        organization=organization,
        person=person,
        instructor_name=instructor_name,
        instructor_phone=phone,
        unit=unit,
        started_on=started_on,
        assigned_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action="instructor.assign",
        obj=assignment,
        summary=f"{instructor_name} → {organization.name}",
        changes={"organization": organization.pk, "started_on": started_on.isoformat()},
    )
    return assignment


@transaction.atomic
def instructor_end(
    *, actor, assignment: InstructorAssignment, ended_on: date, reason: str
) -> InstructorAssignment:
    """End an instructor's assignment (the row stays)."""
    if not can_manage_instructors(actor, assignment.organization):
        raise PermissionDenied
    assignment = InstructorAssignment.objects.select_for_update().get(pk=assignment.pk)
    reason = clean_text(reason)
    errors: dict = {}
    if assignment.ended_on is not None:
        _add(errors, "ended_on", INSTRUCTOR_ENDED_MESSAGE)
        _raise_if(errors)
    _check_not_future(errors, "ended_on", ended_on)
    if ended_on < assignment.started_on:
        _add(
            errors,
            "ended_on",
            INSTRUCTOR_END_BEFORE_START_MESSAGE,
            started_on=assignment.started_on.isoformat(),
        )
    _raise_if(errors)
    assignment.ended_on = ended_on
    assignment.end_reason = reason
    assignment.full_clean()
    assignment.save(update_fields=["ended_on", "end_reason"])
    audit_record(
        actor=actor,
        action="instructor.end",
        obj=assignment,
        summary=f"{assignment.instructor_name} ← {assignment.organization}",
        changes={"ended_on": ended_on.isoformat()},
    )
    return assignment


# --- Required frequencies ----------------------------------------------------------------


@transaction.atomic
def frequency_update(
    *, actor, frequency: RequiredFrequency, period: str, count: int
) -> RequiredFrequency:
    """Change how often a kind of meeting must be held."""
    if not can_manage_frequencies(actor):
        raise PermissionDenied
    if not 0 <= count <= 31:
        raise ValidationError({"count": [ValidationError(FREQUENCY_COUNT_MESSAGE)]})
    changes = {}
    if frequency.period != period:
        changes["period"] = [frequency.period, period]
    if frequency.count != count:
        changes["count"] = [frequency.count, count]
    if changes:
        frequency.period, frequency.count = period, count
        frequency.full_clean()
        frequency.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="branch.frequency_update",
            obj=frequency,
            summary=str(frequency),
            changes=changes,
        )
    return frequency
