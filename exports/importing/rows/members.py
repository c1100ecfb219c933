"""The member sheet's checks (a part of the validator)."""

from __future__ import annotations

import contextlib
from functools import partial

from django.core.exceptions import ValidationError
from django.db.models import Q

from core.identifiers import (
    normalize_credit_code,
)
from core.text import clean_name, match_key
from exports.importing import headers, values
from exports.importing.reader import Sheet
from exports.importing.rows.messages import (
    ACTION_UNCHANGED,
    DUPLICATE_MEMBER_ROW_MESSAGE,
    GENDER_CHOICES,
    GENDER_FROM_ID_WARNING,
    GRID_ROLE_CHOICES,
    ID_NAME_CONFLICT_ROW_MESSAGE,
    JOINED_BEFORE_ORG_MESSAGE,
    JOINED_IN_FUTURE_MESSAGE,
    ORG_INACTIVE_MESSAGE,
    ORG_OUTSIDE_MESSAGE,
    ORG_REF_AMBIGUOUS_MESSAGE,
    ORG_REF_CONFLICT_MESSAGE,
    ORG_REF_UNKNOWN_MESSAGE,
    POLITICAL_CHOICES,
    PROGRESS_EVERY,
    ROLE_CHOICES,
    _allowed,
)
from exports.importing.rows.plan import (
    MemberRow,
    OrgRow,
)
from orgs.models import Membership, Organization, Person
from orgs.services import people as people_services


class MemberChecks:
    """Check the member rows into the plan; mixed into `_Validator`."""

    def _members(self, parsed: list[tuple]) -> None:
        """Check the member rows (sheet, row, data) read and parsed, and the named leaders."""
        file_orgs_by_code = {}
        file_orgs_by_name: dict[str, list[OrgRow]] = {}
        for org_row in self.plan.organizations:
            if org_row.data.get("credit_code"):
                file_orgs_by_code[org_row.data["credit_code"]] = org_row
            name = org_row.data.get("name") or (org_row.existing and org_row.existing.name)
            if name:
                file_orgs_by_name.setdefault(name, []).append(org_row)
        ref_names = {p[2]["org_name"] for p in parsed if p[2].get("org_name")}
        ref_codes = {p[2]["org_code"] for p in parsed if p[2].get("org_code")}
        ledger_orgs = list(
            Organization.objects.visible_to(self.actor)
            .filter(Q(name__in=ref_names) | Q(credit_code__in=ref_codes))
            .select_related("community")
        )
        editable = set(
            Organization.objects.editable_by(self.actor)
            .filter(pk__in=[o.pk for o in ledger_orgs])
            .values_list("pk", flat=True)
        )
        ids = {p[2]["person"].get("id_number") for p in parsed if p[2]["person"].get("id_number")}
        ids |= {r.leader_id_number for r in self.plan.organizations if r.leader_id_number}
        people = {p.id_number: p for p in Person.objects.filter(id_number__in=ids)}
        org_pks = [o.pk for o in ledger_orgs]
        org_pks += [r.existing.pk for r in self.plan.organizations if r.existing]
        current = {}
        for membership in (
            Membership.objects.current().filter(organization__in=org_pks).select_related("person")
        ):
            current.setdefault(membership.organization_id, []).append(membership.person)
        self._seen: dict[tuple, int] = {}
        self._names_by_id: dict[str, tuple[str, int]] = {}
        self._people = people
        self._current = current
        checked = len(self.plan.organizations)
        # looked up once per row: by code (the first in the list wins) and by name (all, in order)
        ledger_by_code: dict[str, Organization] = {}
        ledger_by_name: dict[str, list[Organization]] = {}
        for organization in ledger_orgs:
            ledger_by_code.setdefault(organization.credit_code, organization)
            ledger_by_name.setdefault(organization.name, []).append(organization)
        ledger = (ledger_by_code, ledger_by_name)
        for index in range(len(parsed)):
            sheet, row, data = parsed[index]
            parsed[index] = None  # the row's own values stay in its MemberRow only
            self._member_row(
                sheet, row, data, ledger, editable, file_orgs_by_code, file_orgs_by_name
            )
            checked += 1
            if self.progress is not None and checked % PROGRESS_EVERY == 0:
                self.progress(checked)
        org_sheets = {s.title: s for s in self.sheets if s.kind == headers.ORGANIZATIONS}
        for org_row in self.plan.organizations:
            if org_row.leader_id_number:
                self._leader(org_sheets[org_row.sheet], org_row)

    def _check_person(self, sheet, row: int, person: dict, id_number: str, name_key="name"):
        """Check a person against the other rows and the ledger; return the recorded person."""
        name = person.get("name", "")
        if not id_number:
            return None
        known = self._names_by_id.get(id_number)
        if known and known[0] != name:
            self.error(sheet, row, name_key, str(ID_NAME_CONFLICT_ROW_MESSAGE) % {"row": known[1]})
        self._names_by_id.setdefault(id_number, (name, row))
        existing_person = self._people.get(id_number)
        while existing_person is not None and existing_person.merged_into_id:
            existing_person = existing_person.merged_into
        if existing_person is not None and match_key(existing_person.name) != match_key(name):
            visible = Person.objects.visible_to(self.actor).filter(pk=existing_person.pk).exists()
            message = (
                people_services.NAME_MISMATCH_VISIBLE_MESSAGE % {"name": existing_person.name}
                if visible
                else str(people_services.NAME_MISMATCH_HIDDEN_MESSAGE)
            )
            self.error(sheet, row, name_key, message)
        return existing_person

    def _member_row(self, sheet, row, data, ledger, editable, by_code, by_name) -> None:
        person = data["person"]
        id_number = "" if self.cell_failed(sheet, row, "id_number") else person.get("id_number", "")
        existing_person = self._check_person(sheet, row, person, id_number)
        target = self._resolve_org(sheet, row, data, ledger, editable, by_code, by_name)
        if target is None:
            return
        member_key = (
            id(target) if isinstance(target, OrgRow) else target.pk,
            id_number or (person.get("name"), person.get("mobile", "")),
        )
        if member_key in self._seen:
            self.error(
                sheet,
                row,
                "id_number" if id_number else "name",
                str(DUPLICATE_MEMBER_ROW_MESSAGE) % {"row": self._seen[member_key]},
            )
            return
        self._seen[member_key] = row
        member = MemberRow(sheet.title, row, person, data["role"], data["joined_on"])
        if isinstance(target, OrgRow):
            member.org_row = target
            founded = target.data.get("founded_on") or target.data.get("registered_on")
            if target.existing is not None and not founded:
                founded = target.existing.founded_on or target.existing.registered_on
            community = target.data.get("community") or (
                target.existing.community if target.existing else None
            )
        else:
            member.organization = target
            founded = target.founded_on or target.registered_on
            community = target.community
        if person.get("grid_role") and person.get("grid_community") is None:
            person["grid_community"] = community
        if data["joined_on"] and founded and data["joined_on"] < founded:
            self.error(
                sheet,
                row,
                "joined_on",
                str(JOINED_BEFORE_ORG_MESSAGE) % {"date": founded.isoformat()},
            )
        if existing_person is not None:
            member.reused_person = True
        org_pk = self._org_pk(member)
        if _already_member(existing_person, person, self._current.get(org_pk, [])):
            member.action = ACTION_UNCHANGED
        if self.row_ok(sheet, row) and (member.org_row is None or member.org_row.ok):
            self.plan.members.append(member)

    @staticmethod
    def _org_pk(member: MemberRow):
        if member.organization is not None:
            return member.organization.pk
        existing = member.org_row.existing if member.org_row else None
        return existing.pk if existing else None

    def _leader(self, sheet: Sheet, org_row: OrgRow) -> None:
        """Plan the leader named in an organisations row as a person with a leader membership."""
        id_number = org_row.leader_id_number
        name = clean_name(org_row.data.get("leader_name") or self._existing_leader(org_row))
        if not name:
            return
        member_key = (id(org_row), id_number)
        if member_key in self._seen:
            # the members sheet lists the leader too: that row says how they joined
            known = self._names_by_id.get(id_number)
            if known and known[0] != name:
                self.error(
                    sheet,
                    org_row.row,
                    "leader_name",
                    str(ID_NAME_CONFLICT_ROW_MESSAGE) % {"row": known[1]},
                )
            return
        person = self._check_person(sheet, org_row.row, {"name": name}, id_number, "leader_name")
        self._seen[member_key] = org_row.row
        if not org_row.ok or not self.row_ok(sheet, org_row.row):
            org_row.ok = False
            return
        data = org_row.data
        existing = org_row.existing
        joined_on = (
            data.get("founded_on")
            or data.get("registered_on")
            or (existing and (existing.founded_on or existing.registered_on))
            or self.today
        )
        person_data = people_services.clean_person_data({"name": name, "id_number": id_number})
        if data.get("leader_phone"):
            # the leader's phone is theirs; a landline stays on the organisation only
            with contextlib.suppress(ValidationError):
                person_data.update(
                    people_services.clean_person_data({"mobile": data["leader_phone"]})
                )
        member = MemberRow(
            sheet.title,
            org_row.row,
            person_data,
            Membership.Role.LEADER,
            min(joined_on, self.today),
            org_row=org_row,
            reused_person=person is not None,
            leader=True,
        )
        members_now = self._current.get(existing.pk, []) if existing else []
        if _already_member(person, person_data, members_now):
            member.action = ACTION_UNCHANGED
        self.plan.members.append(member)

    def _resolve_org(self, sheet, row, data, ledger, editable, by_code, by_name):
        """Return the OrgRow or Organization a member row refers to; None if unusable.

        `ledger` is the ledger's organisations the rows name, as ({code: the first with it},
        {name: [those with it, in order]}).
        """
        ledger_by_code, ledger_by_name = ledger
        code, name = data.get("org_code"), data.get("org_name")
        found = None
        if code:
            found = by_code.get(code) or ledger_by_code.get(code)
            if found is None:
                self.error(
                    sheet,
                    row,
                    "organization_credit_code",
                    str(ORG_REF_UNKNOWN_MESSAGE) % {"value": code},
                )
                return None
            if name:
                found_name = found.data.get("name") if isinstance(found, OrgRow) else found.name
                if isinstance(found, OrgRow) and not found_name and found.existing:
                    found_name = found.existing.name
                if found_name != name:
                    self.error(sheet, row, "organization", ORG_REF_CONFLICT_MESSAGE)
                    return None
        elif name:
            in_file = by_name.get(name, [])
            in_ledger = ledger_by_name.get(name, ())
            file_pks = {r.existing.pk for r in in_file if r.existing}
            candidates = [*in_file, *[o for o in in_ledger if o.pk not in file_pks]]
            if not candidates:
                self.error(
                    sheet, row, "organization", str(ORG_REF_UNKNOWN_MESSAGE) % {"value": name}
                )
                return None
            if len(candidates) > 1:
                self.error(
                    sheet, row, "organization", str(ORG_REF_AMBIGUOUS_MESSAGE) % {"value": name}
                )
                return None
            found = candidates[0]
        else:
            if not self.cell_failed(sheet, row, "organization_credit_code"):
                self.required(sheet, row, "organization")
            return None
        if isinstance(found, OrgRow):
            return found  # its own errors, if any, are reported on its row
        if found.pk not in editable:
            self.error(sheet, row, "organization", ORG_OUTSIDE_MESSAGE)
            return None
        if not found.is_active:
            self.error(
                sheet,
                row,
                "organization",
                str(ORG_INACTIVE_MESSAGE)
                % {"name": found.name, "status": found.get_status_display()},
            )
            return None
        return found

    def _member_data(self, sheet: Sheet, row: int, cells: dict) -> dict:
        text = lambda key: self._cell_value(sheet, row, cells, key, values.as_text) or ""  # noqa: E731
        result = self._member_organization(sheet, row, cells, text)
        person = self._member_person(sheet, row, cells, text)

        def choice(key, choices):
            allowed = partial(_allowed, choices)  # built only for the error message
            return self._cell_value(
                sheet, row, cells, key, lambda cell: values.as_choice(cell, choices, allowed)
            )

        gender = choice("gender", GENDER_CHOICES)
        political = choice("political_status", POLITICAL_CHOICES)
        if political in ("full", "probationary"):
            person["is_party_member"] = True
            person["party_status"] = political
        grid_role = choice("grid_role", GRID_ROLE_CHOICES)
        result["role"] = choice("role", ROLE_CHOICES) or Membership.Role.MEMBER
        result["joined_on"] = self._member_joined_on(sheet, row, cells)
        try:
            cleaned = people_services.clean_person_data(person)
        except ValidationError as error:
            self.field_errors(sheet, row, error)
            cleaned = person
        if gender and cleaned.get("gender") and cleaned["gender"] != gender:
            # typed by hand: the ID number is right, the gender column is not
            label = Person.Gender(cleaned["gender"]).label
            self.warning(sheet, row, "gender", str(GENDER_FROM_ID_WARNING) % {"gender": label})
        elif gender:
            cleaned["gender"] = gender
        if grid_role:
            cleaned["grid_role"] = grid_role
            cleaned["grid_community"] = cleaned.get("community")
        result["person"] = cleaned
        return result

    def _member_organization(self, sheet: Sheet, row: int, cells: dict, text) -> dict:
        """The organisation the row names: its name and, when given, its credit code."""
        result = {"org_name": clean_name(text("organization")), "org_code": ""}
        code = self._cell_value(
            sheet,
            row,
            cells,
            "organization_credit_code",
            lambda cell: values.as_identifier(
                cell, numeric_message=values.CREDIT_CODE_AS_NUMBER_MESSAGE
            ),
        )
        if code:
            result["org_code"] = normalize_credit_code(code)
        return result

    def _member_person(self, sheet: Sheet, row: int, cells: dict, text) -> dict:
        """The resident's own cells: name, ID number, mobile, notes and community."""
        person: dict = {"name": text("name")}
        if not person["name"]:
            self.required(sheet, row, "name")
        id_number = self._cell_value(
            sheet,
            row,
            cells,
            "id_number",
            lambda cell: values.as_identifier(cell, numeric_message=values.ID_AS_NUMBER_MESSAGE),
        )
        if id_number:
            person["id_number"] = id_number
        mobile = self._cell_value(sheet, row, cells, "mobile", values.as_mobile)
        if mobile:
            person["mobile"] = mobile
        for key in ("party_relation_place", "notes"):
            value = text(key)
            if value:
                person[key] = value
        community_text = text("community")
        if community_text:
            try:
                person["community"] = self.areas.community(community_text, scoped=False)
            except values.CellProblem as problem:
                self.error(sheet, row, "community", problem.message)
        return person

    def _member_joined_on(self, sheet: Sheet, row: int, cells: dict):
        joined_on = self._cell_value(sheet, row, cells, "joined_on", values.as_date)
        if joined_on is None:
            self.required(sheet, row, "joined_on")
        elif joined_on > self.today:
            self.error(sheet, row, "joined_on", JOINED_IN_FUTURE_MESSAGE)
        return joined_on


def _already_member(existing_person, person: dict, members_now: list) -> bool:
    """Whether the row's resident is a current member already (by ID, else by name and mobile)."""
    if existing_person is not None:
        return any(p.pk == existing_person.pk for p in members_now)
    if person.get("id_number"):
        return False
    return any(
        match_key(p.name) == match_key(person.get("name"))
        and (not person.get("mobile") or p.mobile == person.get("mobile"))
        and not p.id_number
        for p in members_now
    )
