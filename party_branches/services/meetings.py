"""Recording a branch's meetings, and how often each kind must be held."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import audit_record, model_update
from core.text import clean_text
from orgs.models import Person
from party_branches.models import (
    Branch,
    BranchMember,
    Meeting,
    MeetingAbsence,
    MeetingAttachment,
    MeetingKind,
    RequiredFrequency,
)
from party_branches.permissions import can_manage_frequencies, can_record_meetings
from party_branches.services.checks import _add, _names, _raise_if
from party_branches.services.messages import (
    FREQUENCY_COUNT_MESSAGE,
    MEETING_AFTER_DISSOLVED_MESSAGE,
    MEETING_ATTACHMENT_EXTENSIONS,
    MEETING_ATTACHMENT_TYPE_MESSAGE,
    MEETING_ATTENDEE_NOT_MEMBER_MESSAGE,
    MEETING_BEFORE_ESTABLISHED_MESSAGE,
    MEETING_DATE_FUTURE_MESSAGE,
    MEETING_NO_ATTENDEES_MESSAGE,
    MEETING_ROLE_NOT_MEMBER_MESSAGE,
    MEETING_TOPIC_REQUIRED_MESSAGE,
)


def _check_meeting_day(errors: dict, branch: Branch, held_on: date) -> None:
    """Not in the future, and a day the branch was active (set up, not yet dissolved)."""
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


def _check_attendees(
    errors: dict, branch: Branch, attendees: list[BranchMember], held_on: date
) -> None:
    """Every attendee a member of the branch on the day; name those who were not."""
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


def _check_attachments(errors: dict, attachments: list) -> None:
    for upload in attachments:
        if _attachment_kind(upload) is None:
            _add(errors, "attachments", MEETING_ATTACHMENT_TYPE_MESSAGE)
            break


def _validate_meeting(
    branch: Branch,
    *,
    held_on: date,
    topic: str,
    attendees: list[BranchMember],
    chair: BranchMember | None,
    note_taker: BranchMember | None,
    attachments: list,
) -> set[int]:
    """Refuse the meeting with every error found (day, topic, attendees, chair and note taker,
    attachment types); return the ids of the branch's members on the day."""
    errors: dict = {}
    _check_meeting_day(errors, branch, held_on)
    if not topic:
        _add(errors, "topic", MEETING_TOPIC_REQUIRED_MESSAGE)
    if not attendees:
        _add(errors, "attendees", MEETING_NO_ATTENDEES_MESSAGE)
    _check_attendees(errors, branch, attendees, held_on)
    members_on_day = BranchMember.objects.filter(branch=branch).on(held_on)
    on_day_ids = set(members_on_day.values_list("pk", flat=True))
    for field, member in (("chair", chair), ("note_taker", note_taker)):
        if member is not None and member.pk not in on_day_ids:
            _add(errors, field, MEETING_ROLE_NOT_MEMBER_MESSAGE)
    _check_attachments(errors, attachments)
    _raise_if(errors)
    return on_day_ids


def _record_attendance(
    meeting: Meeting,
    attendees: list[BranchMember],
    *,
    members_on_day: set[int],
    absence_reasons: dict[int, str],
) -> int:
    """Save who attended, and every other member of the day as absent with the reason given;
    return how many were absent."""
    meeting.attendees.set(attendees)
    attending = {member.pk for member in attendees}
    MeetingAbsence.objects.bulk_create(
        MeetingAbsence(
            meeting=meeting, member_id=pk, reason=clean_text(absence_reasons.get(pk, ""))[:200]
        )
        for pk in sorted(members_on_day - attending)
    )
    return len(members_on_day - attending)


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
    attachments = list(attachments)
    on_day_ids = _validate_meeting(
        branch,
        held_on=held_on,
        topic=topic,
        attendees=attendees,
        chair=chair,
        note_taker=note_taker,
        attachments=attachments,
    )
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
    absentees = _record_attendance(
        meeting, attendees, members_on_day=on_day_ids, absence_reasons=absence_reasons or {}
    )
    for upload in attachments:
        kind_of_file = _attachment_kind(upload)
        if kind_of_file is None:  # _check_attachments refused it before anything was written
            raise ValidationError({"attachments": [MEETING_ATTACHMENT_TYPE_MESSAGE]})
        MeetingAttachment.objects.create(meeting=meeting, kind=kind_of_file, file=upload)
    audit_record(
        actor=actor,
        action="branch.meeting_record",
        obj=meeting,
        summary=f"{branch.name} · {MeetingKind(kind).label} · {held_on.isoformat()}",
        changes={
            "kind": kind,
            "held_on": held_on.isoformat(),
            "attendees": len(attendees),
            "absentees": absentees,
            "attachments": len(attachments),
        },
    )
    return meeting


def _attachment_kind(upload) -> str | None:
    """Minutes or photo, from the file's extension; None when the type is not accepted."""
    name = str(getattr(upload, "name", "")).lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    return MEETING_ATTACHMENT_EXTENSIONS.get(suffix)


@transaction.atomic
def frequency_update(
    *, actor, frequency: RequiredFrequency, period: str, count: int
) -> RequiredFrequency:
    """Change how often a kind of meeting must be held."""
    if not can_manage_frequencies(actor):
        raise PermissionDenied
    if not 0 <= count <= 31:
        raise ValidationError({"count": [ValidationError(FREQUENCY_COUNT_MESSAGE)]})
    model_update(
        frequency,
        {"period": period, "count": count},
        actor=actor,
        action="branch.frequency_update",
        summary=str(frequency),
    )
    return frequency
