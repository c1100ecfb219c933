"""Setting up a branch with its first members, and dissolving it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.services import audit_record
from core.text import clean_name, clean_text
from orgs.models import Organization, Person
from party_branches import rules
from party_branches.models import Branch, Formation
from party_branches.permissions import can_set_up_branches
from party_branches.services.checks import (
    _add,
    _check_not_future,
    _names,
    _raise_if,
    _require_active,
    _require_editable,
    _save,
)
from party_branches.services.members import _check_joiners, _formal_count, _new_member
from party_branches.services.messages import (
    BRANCH_JOINED_BEFORE_ESTABLISHED_MESSAGE,
    BRANCH_JOINT_TOO_FEW_MESSAGE,
    BRANCH_JOINT_TOO_MANY_MESSAGE,
    BRANCH_NAME_REQUIRED_MESSAGE,
    BRANCH_NO_ORGANIZATION_MESSAGE,
    BRANCH_ONE_TOWNSHIP_MESSAGE,
    BRANCH_ORGANIZATION_HAS_BRANCH_MESSAGE,
    BRANCH_ORGANIZATION_INACTIVE_MESSAGE,
    BRANCH_PARENT_REQUIRED_MESSAGE,
    BRANCH_SECRETARY_NOT_FORMAL_MEMBER_MESSAGE,
    BRANCH_SINGLE_ONE_ORGANIZATION_MESSAGE,
    BRANCH_TOO_FEW_FORMAL_MESSAGE,
    BRANCH_TOO_MANY_MEMBERS_MESSAGE,
    DISSOLVE_BEFORE_JOINED_MESSAGE,
    DISSOLVE_BEFORE_MEETING_MESSAGE,
    DISSOLVE_REASON_REQUIRED_MESSAGE,
)


def _organizations_for(actor, organizations: list[Organization]) -> list[Organization]:
    """Refuse an actor who may not set up branches or edit every chosen organisation (403);
    return the organisations re-read with their township, by name."""
    if not can_set_up_branches(actor):
        raise PermissionDenied
    editable = set(
        Organization.objects.editable_by(actor)
        .filter(pk__in=[organization.pk for organization in organizations])
        .values_list("pk", flat=True)
    )
    if any(organization.pk not in editable for organization in organizations):
        raise PermissionDenied
    return list(
        Organization.objects.select_related("community__township")
        .filter(pk__in=[organization.pk for organization in organizations])
        .order_by("name")
    )


def _check_organizations(
    errors: dict, organizations: list[Organization], *, formation: str, township
) -> None:
    """How many organisations the formation takes, one township, all active, none with a branch."""
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


def _check_first_members(
    errors: dict,
    people: list[Person],
    *,
    organizations: list[Organization],
    secretary: Person | None,
) -> int:
    """Eligible joiners, at most the maximum, enough formal members, a formal secretary among
    them; return how many are formal members."""
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
    return formal


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
    organizations = _organizations_for(actor, organizations)
    name, parent_org = clean_name(name), clean_name(parent_org)

    errors: dict = {}
    township = organizations[0].community.township if organizations else None
    _check_organizations(errors, organizations, formation=formation, township=township)
    if not name:
        _add(errors, "name", BRANCH_NAME_REQUIRED_MESSAGE)
    if not parent_org:
        _add(errors, "parent_org", BRANCH_PARENT_REQUIRED_MESSAGE)
    _check_not_future(errors, "established_on", established_on)
    formal = _check_first_members(errors, people, organizations=organizations, secretary=secretary)
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
            "organizations": sorted({organization.pk for organization in organizations}),
            "members": sorted(person.pk for person in people),
            "formal_members": formal,
        },
    )
    return branch


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
