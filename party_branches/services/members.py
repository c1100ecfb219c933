"""Who may join a branch, and adding or removing one member."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from core.services import audit_record
from core.text import clean_text
from orgs.models import Organization, Person
from party_branches import rules
from party_branches.models import Branch, BranchMember, PartyStatus
from party_branches.services.checks import (
    _add,
    _check_not_future,
    _names,
    _raise_if,
    _require_active,
    _require_editable,
    _save,
)
from party_branches.services.messages import (
    BRANCH_ALREADY_IN_BRANCH_MESSAGE,
    BRANCH_JOINED_BEFORE_ESTABLISHED_MESSAGE,
    BRANCH_NOT_ELIGIBLE_MESSAGE,
    BRANCH_TOO_MANY_MEMBERS_MESSAGE,
    MEMBER_LEFT_BEFORE_JOINED_MESSAGE,
    MEMBER_NOT_CURRENT_MESSAGE,
    MEMBER_REASON_REQUIRED_MESSAGE,
    MEMBER_REMOVAL_TOO_FEW_FORMAL_MESSAGE,
)

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


def _new_member(branch: Branch, person: Person, *, joined_on: date) -> BranchMember:
    return BranchMember(
        branch=branch,
        person=person,
        party_status=person.party_status or PartyStatus.PROBATIONARY,
        relation_place=person.party_relation_place,
        joined_on=joined_on,
    )


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
