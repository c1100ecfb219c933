"""Writing an import's members set-wise: people, memberships, history and audit rows in bulk.

The single-row path (`orgs.services.people.membership_add`) costs about ten queries a row; here
a chunk of rows costs a bounded number of queries whatever its size on PostgreSQL (on SQLite
each insert is split by the backend's limit of 999 parameters a query). The rules are the
single-row path's, checked on the chunk:

- a person is matched by ID number (one query per chunk), following merges; a name that does
  not match the recorded one refuses the row;
- a reused person's empty fields are completed from the row, never overwritten ("~" history
  row and a ``person.update`` audit row, as ``_fill_blanks`` writes);
- a new person gets a "+" history row and a ``person.create`` audit row; a membership a "+"
  row and a ``membership.add`` audit row with the same ``changes``;
- a resident already a current member of the organisation refuses the row.

Only people and memberships are model instances (checked with ``clean_fields``, inserted by
``core.bulk.copy_create``: COPY on PostgreSQL). Their "+" history rows are one
``INSERT … SELECT`` from the rows just written (``core.history.write_history_rows``: the
content ``bulk_create_with_history`` gives them), and the audit rows plain tuples
(``core.bulk.insert_rows``). Between chunks the writer keeps keys only (the people it created,
the memberships it added); a person named again by a later chunk is read again, locked.

Call inside the commit's transaction: any refusal raises ``ValidationError`` naming the row
through ``RowRefused`` and the caller rolls everything back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.bulk import copy_create, insert_rows
from core.history import write_history_rows
from core.models import AuditEvent
from core.services import field_changes
from core.text import match_key
from orgs.models import Membership, Organization, Person
from orgs.services import people as people_services

CHUNK_SIZE = 2000
# Foreign keys are checked by the database (and resolved by the plan); clean_fields would
# look each one up again.
PERSON_FK_FIELDS = ["community", "grid_community", "merged_into"]
MEMBERSHIP_FK_FIELDS = ["organization", "person"]
FILLABLE = ("gender", "birth_date", "mobile", "community", "party_relation_place")


class RowRefused(Exception):
    """A member row cannot be written: (sheet, row, error) of the first one."""

    def __init__(self, member, error):
        super().__init__(error)
        self.member = member
        self.error = error


@dataclass
class _State:
    """What the import wrote so far, across chunks: keys only, no model instances.

    A person an earlier chunk created or updated is read again from the database by the
    chunk that names them, so memory does not grow with the file.
    """

    actor: object
    when: object = None  # the chunk's history rows' date and audit rows' time
    # the people this import created (their memberships are not "already recorded")
    created: set[int] = field(default_factory=set)
    # (organisation pk, ID number) of every membership this import added
    members: set[tuple[int, str]] = field(default_factory=set)
    written: int = 0


def write_members(
    *, actor, members: list, progress: Callable[[int], None] | None = None, chunk_size=None
) -> int:
    """Write the plan's members to create, a chunk at a time; return how many were written."""
    state = _State(actor=actor)
    size = chunk_size or CHUNK_SIZE
    for start in range(0, len(members), size):
        write_chunk(state, members[start : start + size])
        state.written += len(members[start : start + size])
        if progress is not None:
            progress(state.written)
    return state.written


def _organization(member) -> Organization:
    return member.organization or member.org_row.organization


def _person_data(member) -> dict:
    # The plan's person data was cleaned by clean_person_data when the row was read.
    return {k: v for k, v in member.person_data.items() if k in people_services.PERSON_FIELDS}


def write_chunk(state: _State, chunk: list) -> None:
    """Check and write one chunk of member rows: people, memberships, history and audit."""
    state.when = timezone.now()
    organizations = _check_organizations(state, chunk)
    chunk_data = [_person_data(member) for member in chunk]
    people, current = _ledger_people(state, chunk_data, organizations)
    plan = _plan_chunk(state, chunk, chunk_data, people, current)
    _write_plan(state, plan)


@dataclass
class _ChunkPlan:
    new_people: list[Person] = field(default_factory=list)
    # a stored person's pk -> (the person, the blanks filled in)
    filled: dict[int, tuple[Person, dict]] = field(default_factory=dict)
    memberships: list[tuple[Membership, Person, Organization, bool]] = field(default_factory=list)


def _check_organizations(state: _State, chunk: list) -> dict[int, Organization]:
    """The chunk's organisations, each one the actor may edit, active, joined after founding."""
    organizations = {_organization(m).pk: _organization(m) for m in chunk}
    editable = set(
        Organization.objects.editable_by(state.actor)
        .filter(pk__in=organizations)
        .values_list("pk", flat=True)
    )
    for member in chunk:
        organization = _organization(member)
        if organization.pk not in editable:
            raise RowRefused(member, PermissionDenied())
        try:
            people_services._check_organization_active(organization)
            people_services._check_joined_on(organization, member.joined_on)
        except ValidationError as error:
            raise RowRefused(member, error) from error
    return organizations


def _ledger_people(
    state: _State, chunk_data: list[dict], organizations: dict[int, Organization]
) -> tuple[dict[str, Person], set[tuple[int, int]]]:
    """The chunk's people already in the ledger (recorded before, or written by an earlier
    chunk), by ID number, and their current memberships recorded before this import (those
    it adds are in state.members), as (organisation, person) pairs."""
    wanted = {data["id_number"] for data in chunk_data if data.get("id_number")}
    people: dict[str, Person] = {}
    for person in Person.objects.select_for_update().filter(id_number__in=wanted):
        resolved = person
        while resolved.merged_into_id:
            resolved = resolved.merged_into
        people[person.id_number] = resolved
    stored_pks = {person.pk for person in people.values() if person.pk not in state.created}
    current = set(
        Membership.objects.current()
        .filter(organization__in=organizations, person__in=stored_pks)
        .values_list("organization_id", "person_id")
    )
    return people, current


def _plan_chunk(
    state: _State,
    chunk: list,
    chunk_data: list[dict],
    people: dict[str, Person],
    current: set[tuple[int, int]],
) -> _ChunkPlan:
    """Each row checked as the single-row path checks it: a person reused (blanks filled) or
    new, and a membership; the first row that fails refuses the whole import."""
    plan = _ChunkPlan()
    for member, data in zip(chunk, chunk_data, strict=True):
        organization = _organization(member)
        id_number = data.get("id_number")
        person = people.get(id_number) if id_number else None
        reused = person is not None
        try:
            if person is not None:
                _check_name(state.actor, person, data)
                changes = _fill_blanks(person, data)
                if changes and person.pk:
                    previous = plan.filled.get(person.pk, (person, {}))[1]
                    plan.filled[person.pk] = (person, {**previous, **changes})
            else:
                people_services.check_person_rules(
                    is_party_member=data.get("is_party_member", False),
                    party_status=data.get("party_status", ""),
                    grid_role=data.get("grid_role", ""),
                    grid_community=data.get("grid_community"),
                )
                person = Person(**data)
                person.clean_fields(exclude=PERSON_FK_FIELDS)
                plan.new_people.append(person)
                if id_number:
                    people[id_number] = person
            if id_number:
                key = (organization.pk, id_number)
                if key in state.members or (organization.pk, person.pk) in current:
                    raise _already_member(person, organization)
                state.members.add(key)
            elif (organization.pk, person.pk) in current:
                raise _already_member(person, organization)
            membership = Membership(
                organization=organization,
                person=person,
                role=member.role,
                joined_on=member.joined_on,
            )
            membership.clean_fields(exclude=MEMBERSHIP_FK_FIELDS)
        except ValidationError as error:
            raise RowRefused(member, error) from error
        plan.memberships.append((membership, person, organization, reused))
    return plan


def _write_plan(state: _State, plan: _ChunkPlan) -> None:
    """The chunk's rows in bulk: new people, filled blanks, memberships, each with one history
    row and one audit row per record, as the single-row path writes them."""
    actor = state.actor
    if plan.new_people:
        new_people = plan.new_people
        _create(Person, new_people)
        write_history_rows(Person, [p.pk for p in new_people], user=actor, when=state.when)
        _audit(state, "person.create", [(p, p.name, {}) for p in new_people])
        state.created.update(p.pk for p in new_people)
    if plan.filled:
        changed = [person for person, _changes in plan.filled.values()]
        fields = sorted({name for _person, changes in plan.filled.values() for name in changes})
        bulk_update_with_history(changed, Person, fields, default_user=actor)
        _audit(
            state,
            "person.update",
            [
                (person, person.name, people_services.masked_changes(changes))
                for person, changes in plan.filled.values()
            ],
        )
    written = [entry[0] for entry in plan.memberships]
    # the insert sets each membership's person_id from its (now saved) person
    _create(Membership, written)
    write_history_rows(Membership, [m.pk for m in written], user=actor, when=state.when)
    _audit(
        state,
        "membership.add",
        [
            (
                membership,
                f"{person.name} → {organization.name}",
                {"person": person.pk, "reused": reused, "role": membership.role},
            )
            for membership, person, organization, reused in plan.memberships
        ],
    )


def _already_member(person: Person, organization: Organization) -> ValidationError:
    return ValidationError(
        {
            NON_FIELD_ERRORS: people_services.ALREADY_MEMBER_MESSAGE
            % {"name": person.name, "organization": organization.name}
        }
    )


def _create(model, objects: list) -> None:
    """Insert the objects and give them their primary keys (COPY on PostgreSQL)."""
    copy_create(model, objects)


def _check_name(actor, person: Person, data: dict) -> None:
    if match_key(person.name) == match_key(data.get("name", "")):
        return
    visible = Person.objects.visible_to(actor).filter(pk=person.pk).exists()
    message = (
        people_services.NAME_MISMATCH_VISIBLE_MESSAGE % {"name": person.name}
        if visible
        else people_services.NAME_MISMATCH_HIDDEN_MESSAGE
    )
    raise ValidationError({"name": message})


def _fill_blanks(person: Person, data: dict) -> dict:
    """Complete the person's empty fields from the row (as membership_add does); return changes."""
    updates = {
        name: data[name] for name in FILLABLE if data.get(name) and not getattr(person, name)
    }
    if data.get("is_party_member") and not person.is_party_member:
        updates["is_party_member"] = True
        updates["party_status"] = data.get("party_status", "")
    if not updates:
        return {}
    changes = field_changes(person, updates)
    for name, value in updates.items():
        setattr(person, name, value)
    person.clean_fields(exclude=PERSON_FK_FIELDS)
    return changes


def _audit(state: _State, action: str, entries: list[tuple]) -> None:
    """One audit row per record, as core.services.audit_record writes them, in one insert."""
    actor = state.actor
    who = actor.pk if actor is not None and actor.is_authenticated else None
    insert_rows(
        AuditEvent,
        ["at", "actor", "action", "object_type", "object_id", "summary", "changes"],
        (
            (
                state.when,
                who,
                action,
                obj._meta.label_lower,
                str(obj.pk),
                summary[:500],
                changes or {},
            )
            for obj, summary, changes in entries
        ),
    )
