"""Branches as pages show them: the list, one branch, the people eligible to join."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import quarters
from orgs.models import Organization, Person
from party_branches.compliance import branch_compliance
from party_branches.models import (
    Branch,
    BranchMember,
    Meeting,
    MeetingAbsence,
    PartyStatus,
)
from party_branches.permissions import (
    can_edit_branch,
    can_record_meetings,
)


def _count(queryset, group: str):
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_member_counts(branches):
    """Annotate current members, current formal members and the last meeting's day."""
    current = BranchMember.objects.filter(branch=OuterRef("pk"), left_on__isnull=True)
    last_meeting = (
        Meeting.objects.filter(branch=OuterRef("pk"))
        .order_by()
        .values("branch")
        .annotate(last=Max("held_on"))
        .values("last")
    )
    return branches.annotate(
        member_count=_count(current, "branch"),
        formal_count=_count(current.filter(party_status=PartyStatus.FULL), "branch"),
        last_meeting_on=Subquery(last_meeting),
    )


def branch_list(*, user):
    """Branches the user may see, with their organisations, township and member counts."""
    return with_member_counts(
        Branch.objects.visible_to(user)
        .select_related("township", "secretary")
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("name")))
    ).order_by("dissolved_on", "name", "pk")


def branch_detail_context(*, user, branch: Branch, today: date | None = None) -> dict:
    """Members, meetings and this quarter's compliance for the branch page."""
    today = today or timezone.localdate()
    members = list(
        branch.members.select_related("person").order_by("left_on", "joined_on", "person__name")
    )
    meetings = list(
        branch.meetings.select_related("recorded_by", "chair__person", "note_taker__person")
        .prefetch_related(
            Prefetch(
                "absences",
                queryset=MeetingAbsence.objects.select_related("member__person").order_by("pk"),
            ),
            "attachments",
        )
        .annotate(attendee_count=Count("attendees", distinct=True))
        .order_by("-held_on", "-pk")[:50]
    )
    quarter = quarters.quarter_of(today)
    rows = branch_compliance(
        branches_qs=Branch.objects.filter(pk=branch.pk), quarter=quarter, today=today
    )
    current = [member for member in members if member.left_on is None]
    editable = can_edit_branch(user, branch)
    return {
        "branch": branch,
        "organizations": list(branch.organizations.select_related("community").order_by("name")),
        "current_members": current,
        "past_members": [member for member in members if member.left_on is not None],
        "formal_count": sum(1 for member in current if member.is_formal),
        "meetings": meetings,
        "quarter": quarter,
        "quarter_label": quarters.format_quarter(quarter),
        "compliance": rows[0] if rows else None,
        "can_edit": editable and branch.is_active,
        "can_record": can_record_meetings(user, branch) and branch.is_active,
    }


def eligible_candidates(*, organizations) -> list[Person]:
    """Party members among the organisations' current members, formal ones first."""
    people = (
        Person.objects.current()
        .filter(
            is_party_member=True,
            memberships__organization__in=list(organizations),
            memberships__left_on__isnull=True,
        )
        .annotate(
            in_branch=Exists(
                BranchMember.objects.filter(person=OuterRef("pk"), left_on__isnull=True)
            )
        )
        .distinct()
    )
    return sorted(people, key=lambda p: (p.party_status != Person.PartyStatus.FULL, p.name, p.pk))


def active_branch_exists() -> Exists:
    """Whether the organisation (OuterRef("pk")) is linked to a branch active today."""
    return Exists(
        Branch.organizations.through.objects.filter(
            organization=OuterRef("pk"), branch__in=Branch.objects.active()
        )
    )
