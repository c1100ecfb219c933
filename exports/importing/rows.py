"""Validating every row of a read workbook into a plan of what the commit would write.

The plan is computed against the ledger as it is now; the commit recomputes it inside its
transaction, so nothing validated here can be stale when written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scoping import scope_for
from areas.models import Community
from core.identifiers import normalize_credit_code, validate_credit_code
from core.masking import mask_id_number
from core.text import clean_name, match_key
from exports.importing import headers, values
from exports.importing.reader import Sheet
from orgs.models import Category, Membership, Organization, Person
from orgs.services import organizations as org_services
from orgs.services import people as people_services

REQUIRED_MESSAGE = _("%(field)s is required.")
MISSING_COLUMN_MESSAGE = _(
    "Sheet “%(sheet)s” has no %(field)s column. Add it, or map one of the unrecognised columns "
    "to it."
)
COMMUNITY_UNKNOWN_MESSAGE = _(
    "No community or village “%(value)s” is recorded. Use its name as in the list of "
    "communities, or its 12-digit code."
)
COMMUNITY_AMBIGUOUS_MESSAGE = _(
    "Several communities are called “%(value)s” (in %(townships)s). Write its 12-digit code, or "
    "fill the township column."
)
COMMUNITY_OUTSIDE_MESSAGE = _(
    "“%(value)s” is not in your township: you can only import organisations of %(township)s."
)
COMMUNITY_TOWNSHIP_MESSAGE = _("“%(value)s” is not in the township “%(township)s” of this row.")
CATEGORY_UNKNOWN_MESSAGE = _("No category “%(value)s”. Use one of: %(allowed)s.")
DUPLICATE_ORG_ROW_MESSAGE = _(
    "This organisation appears twice in the file (also row %(row)s). Keep one row."
)
DUPLICATE_MEMBER_ROW_MESSAGE = _(
    "This member of this organisation appears twice in the file (also row %(row)s). Keep one row."
)
ID_NAME_CONFLICT_ROW_MESSAGE = _(
    "Row %(row)s has the same ID number under another name. Check the name and the ID number."
)
ORG_OUTSIDE_MESSAGE = _(
    "This organisation is already recorded outside your area; it cannot be changed by your "
    "import. Ask the county administrator."
)
ORG_INACTIVE_MESSAGE = _(
    "“%(name)s” is no longer active (%(status)s) and cannot be changed by an import."
)
ORG_REF_UNKNOWN_MESSAGE = _(
    "No organisation “%(value)s” in the file or in your area's ledger. Check the name, or "
    "give its credit code."
)
ORG_REF_AMBIGUOUS_MESSAGE = _(
    "Several organisations are called “%(value)s”. Give the organisation's credit code."
)
ORG_REF_CONFLICT_MESSAGE = _(
    "The credit code and the organisation name point to different organisations."
)
GENDER_CONFLICT_MESSAGE = _("The gender does not match the ID number (which says %(gender)s).")
JOINED_IN_FUTURE_MESSAGE = _("The joining date cannot be in the future.")
JOINED_BEFORE_ORG_MESSAGE = _(
    "The joining date cannot be before the organisation was founded or registered (%(date)s)."
)

REGISTRATION_CHOICES = {
    "登记": "registered",
    "已登记": "registered",
    "注册": "registered",
    "已注册": "registered",
    "备案": "filed",
    "已备案": "filed",
    "未登记": "unregistered",
    "未备案": "unregistered",
    "未登记备案": "unregistered",
}
LEGAL_FORM_CHOICES = {
    "社会团体": "social_group",
    "社团": "social_group",
    "社会服务机构": "service_institution",
    "民办非企业单位": "service_institution",
    "民非": "service_institution",
    "基金会": "foundation",
    "社区社会组织": "community_org",
}
GRADE_CHOICES = {
    **{f"{n}A": f"{n}A" for n in range(1, 6)},
    **{f"{n}A级": f"{n}A" for n in range(1, 6)},
    **{"A" * n: f"{n}A" for n in range(1, 6)},
}
GENDER_CHOICES = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}
ROLE_CHOICES = {
    **dict.fromkeys(
        ("负责人", "会长", "队长", "团长", "主任", "理事长", "社长", "组长"),
        Membership.Role.LEADER,
    ),
    **dict.fromkeys(
        ("副负责人", "副会长", "副队长", "副团长", "副主任", "副理事长", "副社长", "副组长"),
        Membership.Role.DEPUTY,
    ),
    **dict.fromkeys(("骨干", "骨干成员", "理事", "秘书长"), Membership.Role.CORE),
    **dict.fromkeys(("会员", "成员", "队员", "普通会员", "团员"), Membership.Role.MEMBER),
}
POLITICAL_CHOICES = {
    **dict.fromkeys(("中共党员", "党员", "是", "正式党员"), "full"),
    **dict.fromkeys(("中共预备党员", "预备党员"), "probationary"),
    **dict.fromkeys(
        ("群众", "共青团员", "团员", "否", "无", "民主党派", "无党派人士", "非党员"), "none"
    ),
}
GRID_ROLE_CHOICES = {
    "楼栋长": Person.GridRole.BUILDING_HEAD,
    "单元长": Person.GridRole.UNIT_HEAD,
    "网格员": Person.GridRole.GRID_WORKER,
    "信息员": Person.GridRole.INFORMANT,
}

ORG_TEXT_FIELDS = (
    "name",
    "short_name",
    "address",
    "registration_authority",
    "supervising_unit",
    "leader_name",
    "activity_fields",
    "resources",
    "needs",
    "operating_mechanism",
    "bottlenecks",
    "special_teams",
)
ORG_DATE_FIELDS = ("founded_on", "registered_on", "grade_awarded_on")
ORG_CHOICE_FIELDS = {
    "registration_status": REGISTRATION_CHOICES,
    "legal_form": LEGAL_FORM_CHOICES,
    "grade": GRADE_CHOICES,
}

ACTION_CREATE = "create"
ACTION_UPDATE = "update"
ACTION_UNCHANGED = "unchanged"


def _allowed(choices: dict) -> str:
    return "、".join(dict.fromkeys(choices))


@dataclass
class RowError:
    sheet: str
    row: int | None
    column: str
    header: str
    message: str

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row:
            where.append(gettext("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(gettext("column %(column)s (%(header)s)") % self.as_dict())
        return f"{' '.join(where)}: {self.message}"


@dataclass
class OrgRow:
    sheet: str
    row: int
    data: dict
    existing: Organization | None = None
    action: str = ACTION_CREATE
    changes: dict = field(default_factory=dict)
    ok: bool = True
    organization: Organization | None = None  # set at commit


@dataclass
class MemberRow:
    sheet: str
    row: int
    person_data: dict
    role: str
    joined_on: date
    organization: Organization | None = None
    org_row: OrgRow | None = None
    action: str = ACTION_CREATE
    reused_person: bool = False


@dataclass
class Plan:
    organizations: list[OrgRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    def summary(self) -> dict:
        def count(items):
            result = {ACTION_CREATE: 0, ACTION_UPDATE: 0, ACTION_UNCHANGED: 0}
            for item in items:
                result[item.action] += 1
            return result

        return {
            "rows": self.rows,
            "organizations": count(row for row in self.organizations if row.ok),
            "members": count(self.members),
        }

    def preview(self) -> list[dict]:
        entries = []
        for row in self.organizations:
            if not row.ok:
                continue
            community = row.data.get("community")
            entries.append(
                {
                    "sheet": row.sheet,
                    "row": row.row,
                    "kind": headers.ORGANIZATIONS,
                    "action": row.action,
                    "label": row.data.get("name") or (row.existing and row.existing.name),
                    "detail": community.name if community else "",
                    "changes": [
                        str(Organization._meta.get_field(key).verbose_name)
                        for key in sorted(row.changes)
                    ],
                }
            )
        for row in self.members:
            organization = row.organization or (row.org_row and row.org_row.data)
            org_name = (
                organization.name
                if isinstance(organization, Organization)
                else (organization or {}).get("name", "")
            )
            entries.append(
                {
                    "sheet": row.sheet,
                    "row": row.row,
                    "kind": headers.MEMBERS,
                    "action": row.action,
                    "label": row.person_data.get("name", ""),
                    "id_number": mask_id_number(row.person_data.get("id_number", "")),
                    "detail": org_name,
                    "reused": row.reused_person,
                    "changes": [],
                }
            )
        return entries


class _Areas:
    """Communities, townships and categories, loaded once per validation."""

    def __init__(self, actor):
        self.scope = scope_for(actor)
        self.communities = list(Community.objects.select_related("township"))
        self.by_code = {c.code: c for c in self.communities}
        self.by_name: dict[str, list[Community]] = {}
        for community in self.communities:
            self.by_name.setdefault(match_key(community.name), []).append(community)
        self.categories = {match_key(c.name): c for c in Category.objects.filter(is_active=True)}

    def in_scope(self, community: Community) -> bool:
        if self.scope.county_wide:
            return True
        return self.scope.role == Role.TOWNSHIP_STAFF and (
            community.township_id == self.scope.township_id
        )

    def community(self, text: str, township_text: str = "", *, scoped: bool) -> Community:
        value = match_key(text).replace(" ", "")
        if value.isdigit() and len(value) == 12:
            found = [self.by_code[value]] if value in self.by_code else []
        else:
            found = list(self.by_name.get(value, []))
        if not found:
            raise values.CellProblem(str(COMMUNITY_UNKNOWN_MESSAGE) % {"value": text[:30]})
        if township_text:
            township = match_key(township_text)
            matching = [c for c in found if township in (c.township.name, c.township.code)]
            if not matching:
                raise values.CellProblem(
                    str(COMMUNITY_TOWNSHIP_MESSAGE) % {"value": text[:30], "township": township}
                )
            found = matching
        if len(found) > 1 and scoped:
            own = [c for c in found if self.in_scope(c)]
            found = own or found
        if len(found) > 1:
            townships = "、".join(c.township.name for c in found)
            raise values.CellProblem(
                str(COMMUNITY_AMBIGUOUS_MESSAGE) % {"value": text[:30], "townships": townships}
            )
        community = found[0]
        if scoped and not self.in_scope(community):
            township = next(
                (
                    c.township.name
                    for c in self.communities
                    if c.township_id == self.scope.township_id
                ),
                "",
            )
            raise values.CellProblem(
                str(COMMUNITY_OUTSIDE_MESSAGE) % {"value": text[:30], "township": township}
            )
        return community

    def category(self, text: str) -> Category:
        found = self.categories.get(match_key(text))
        if found is None:
            raise values.CellProblem(
                str(CATEGORY_UNKNOWN_MESSAGE)
                % {"value": text[:30], "allowed": "、".join(self.categories)}
            )
        return found


class _Validator:
    def __init__(self, actor, sheets: list[Sheet], today: date | None = None):
        self.actor = actor
        self.sheets = sheets
        self.today = today or timezone.localdate()
        self.plan = Plan()
        self.areas = _Areas(actor)
        self.failed: set[tuple] = set()

    # --- errors ---

    def error(self, sheet: Sheet, row: int | None, key: str, message) -> None:
        letter = sheet.letter_of(key) if key else ""
        header = sheet.header_of(key) if key else ""
        self.failed.add((sheet.title, row, key))
        self.plan.errors.append(RowError(sheet.title, row, letter, header, str(message)))

    def field_errors(self, sheet: Sheet, row: int, error: ValidationError, aliases=None) -> None:
        aliases = aliases or {}
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                key = aliases.get(name, name)
                if key == NON_FIELD_ERRORS or not sheet.letter_of(key):
                    key = ""
                for message in problems:
                    self.error(sheet, row, key, message)
        else:
            for message in error.messages:
                self.error(sheet, row, "", message)

    # --- entry point ---

    def run(self) -> Plan:
        for sheet in self.sheets:
            self.plan.rows += len(sheet.rows)
            missing = [f for f in headers.required_fields(sheet.kind) if not sheet.letter_of(f.key)]
            for required in missing:
                self.error(
                    sheet,
                    None,
                    "",
                    str(MISSING_COLUMN_MESSAGE) % {"sheet": sheet.title, "field": required.label},
                )
        org_sheets = [s for s in self.sheets if s.kind == headers.ORGANIZATIONS]
        member_sheets = [s for s in self.sheets if s.kind == headers.MEMBERS]
        if not self.plan.errors:
            self._organizations(org_sheets)
            self._members(member_sheets)
        return self.plan

    # --- organisations ---

    def _cell_value(self, sheet, row, cells, key, convert):
        try:
            return convert(cells.get(key))
        except values.CellProblem as problem:
            self.error(sheet, row, key, problem.message)
            return None

    def _organizations(self, sheets: list[Sheet]) -> None:
        parsed = []
        for sheet in sheets:
            for row, cells in sheet.rows:
                before = len(self.plan.errors)
                data = self._org_data(sheet, row, cells)
                parsed.append((sheet, row, data, len(self.plan.errors) == before))
        codes = {d["credit_code"] for _s, _r, d, _ok in parsed if d.get("credit_code")}
        names = {d["name"] for _s, _r, d, _ok in parsed if d.get("name")}
        existing = list(
            Organization.objects.filter(
                Q(credit_code__in=codes) | Q(name__in=names)
            ).select_related("community", "category")
        )
        by_code = {o.credit_code: o for o in existing if o.credit_code}
        by_name = {(o.name, o.community_id): o for o in existing}
        editable = set(
            Organization.objects.editable_by(self.actor)
            .filter(pk__in=[o.pk for o in existing])
            .values_list("pk", flat=True)
        )
        seen_codes: dict[str, int] = {}
        seen_names: dict[tuple, int] = {}
        for sheet, row, data, ok in parsed:
            org_row = OrgRow(sheet.title, row, data, ok=ok)
            self.plan.organizations.append(org_row)
            if not ok:
                continue
            code = data.get("credit_code", "")
            name_key = (data["name"], data["community"].pk)
            if code and code in seen_codes:
                self.error(
                    sheet,
                    row,
                    "credit_code",
                    str(DUPLICATE_ORG_ROW_MESSAGE) % {"row": seen_codes[code]},
                )
                org_row.ok = False
                continue
            if name_key in seen_names:
                self.error(
                    sheet,
                    row,
                    "name",
                    str(DUPLICATE_ORG_ROW_MESSAGE) % {"row": seen_names[name_key]},
                )
                org_row.ok = False
                continue
            if code:
                seen_codes[code] = row
            seen_names[name_key] = row
            match = by_code.get(code) if code else None
            match = match or by_name.get(name_key)
            before = len(self.plan.errors)
            if match is not None:
                self._org_update(sheet, org_row, match, match.pk in editable)
            else:
                self._org_create(sheet, org_row)
            org_row.ok = len(self.plan.errors) == before

    def _org_data(self, sheet: Sheet, row: int, cells: dict) -> dict:
        data: dict = {}
        for key in ORG_TEXT_FIELDS:
            if key in cells:
                data[key] = self._cell_value(sheet, row, cells, key, values.as_text) or ""
        for key in ORG_DATE_FIELDS:
            if key in cells:
                data[key] = self._cell_value(sheet, row, cells, key, values.as_date)
        for key, choices in ORG_CHOICE_FIELDS.items():
            if key in cells:
                data[key] = self._cell_value(
                    sheet,
                    row,
                    cells,
                    key,
                    lambda cell, c=choices: values.as_choice(cell, c, _allowed(c)),
                )
        if "credit_code" in cells:
            code = self._cell_value(
                sheet,
                row,
                cells,
                "credit_code",
                lambda cell: values.as_identifier(
                    cell, numeric_message=values.CREDIT_CODE_AS_NUMBER_MESSAGE
                ),
            )
            if code:
                try:
                    data["credit_code"] = validate_credit_code(code)
                except ValidationError as error:
                    for message in error.messages:
                        self.error(sheet, row, "credit_code", message)
        if "leader_phone" in cells:
            phone = self._cell_value(sheet, row, cells, "leader_phone", values.as_mobile)
            if phone:
                data["leader_phone"] = phone
        if not data.get("name") and (sheet.title, row, "name") not in self.failed:
            self.error(
                sheet, row, "name", str(REQUIRED_MESSAGE) % {"field": sheet.header_of("name")}
            )
        township = self._cell_value(sheet, row, cells, "township", values.as_text) or ""
        community_text = self._cell_value(sheet, row, cells, "community", values.as_text)
        if community_text:
            try:
                data["community"] = self.areas.community(community_text, township, scoped=True)
            except values.CellProblem as problem:
                self.error(sheet, row, "community", problem.message)
        elif (sheet.title, row, "community") not in self.failed:
            self.error(
                sheet,
                row,
                "community",
                str(REQUIRED_MESSAGE) % {"field": sheet.header_of("community")},
            )
        category = self._cell_value(sheet, row, cells, "category", values.as_text)
        if category:
            try:
                data["category"] = self.areas.category(category)
            except values.CellProblem as problem:
                self.error(sheet, row, "category", problem.message)
        # Names tidied and prose kept as typed, as the ledger form stores them.
        data = org_services.normalize_organization_fields(data)
        return {key: value for key, value in data.items() if value not in (None, "")}

    def _org_rules(self, sheet, org_row, fields, organization) -> None:
        fields = org_services.normalize_organization_fields(fields)
        problems = org_services.organization_rule_errors(
            actor=self.actor, fields=fields, organization=organization, today=self.today
        )
        for key, errors in problems.items():
            for error in errors:
                self.error(
                    sheet, org_row.row, key if sheet.letter_of(key) else "", error.messages[0]
                )
        candidate = Organization(
            **{k: v for k, v in fields.items() if k in org_services.ORGANIZATION_FIELDS}
        )
        try:
            candidate.full_clean(
                validate_unique=False, validate_constraints=False, exclude=["ledger_keeper"]
            )
        except ValidationError as error:
            self.field_errors(sheet, org_row.row, error)

    def _org_create(self, sheet: Sheet, org_row: OrgRow) -> None:
        fields = {**org_row.data, "ledger_keeper": self.actor}
        org_row.data = fields
        org_row.action = ACTION_CREATE
        self._org_rules(sheet, org_row, fields, None)

    def _org_update(self, sheet, org_row: OrgRow, match: Organization, editable: bool) -> None:
        org_row.existing = match
        if not editable:
            self.error(sheet, org_row.row, "name", ORG_OUTSIDE_MESSAGE)
            return
        if not match.is_active:
            self.error(
                sheet,
                org_row.row,
                "name",
                str(ORG_INACTIVE_MESSAGE)
                % {"name": match.name, "status": match.get_status_display()},
            )
            return
        data = org_services.normalize_organization_fields(org_row.data)
        changes = {
            key: value
            for key, value in data.items()
            if key in org_services.ORGANIZATION_FIELDS and getattr(match, key) != value
        }
        org_row.data = data
        org_row.changes = changes
        org_row.action = ACTION_UPDATE if changes else ACTION_UNCHANGED
        if changes:
            merged = {
                **{name: getattr(match, name) for name in org_services.ORGANIZATION_FIELDS},
                **changes,
            }
            self._org_rules(sheet, org_row, merged, match)

    # --- members ---

    def _members(self, sheets: list[Sheet]) -> None:
        file_orgs_by_code = {}
        file_orgs_by_name: dict[str, list[OrgRow]] = {}
        for org_row in self.plan.organizations:
            if org_row.data.get("credit_code"):
                file_orgs_by_code[org_row.data["credit_code"]] = org_row
            name = org_row.data.get("name") or (org_row.existing and org_row.existing.name)
            if name:
                file_orgs_by_name.setdefault(name, []).append(org_row)
        parsed = []
        for sheet in sheets:
            for row, cells in sheet.rows:
                before = len(self.plan.errors)
                parsed.append((sheet, row, cells, self._member_data(sheet, row, cells), before))
        ref_names = {p[3]["org_name"] for p in parsed if p[3].get("org_name")}
        ref_codes = {p[3]["org_code"] for p in parsed if p[3].get("org_code")}
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
        ids = {p[3]["person"].get("id_number") for p in parsed if p[3]["person"].get("id_number")}
        people = {p.id_number: p for p in Person.objects.filter(id_number__in=ids)}
        org_pks = [o.pk for o in ledger_orgs]
        current = {}
        for membership in (
            Membership.objects.current().filter(organization__in=org_pks).select_related("person")
        ):
            current.setdefault(membership.organization_id, []).append(membership.person)
        seen: dict[tuple, int] = {}
        names_by_id: dict[str, tuple[str, int]] = {}
        for sheet, row, _cells, data, before in parsed:
            target = self._resolve_org(
                sheet, row, data, ledger_orgs, editable, file_orgs_by_code, file_orgs_by_name
            )
            person = data["person"]
            id_number = person.get("id_number", "")
            if id_number:
                known = names_by_id.get(id_number)
                if known and known[0] != person.get("name"):
                    self.error(
                        sheet, row, "name", str(ID_NAME_CONFLICT_ROW_MESSAGE) % {"row": known[1]}
                    )
                names_by_id.setdefault(id_number, (person.get("name", ""), row))
            if len(self.plan.errors) != before or target is None:
                continue
            if target is False:  # its organisation row has errors of its own
                continue
            member_key = (
                id(target) if isinstance(target, OrgRow) else target.pk,
                id_number or (person.get("name"), person.get("mobile", "")),
            )
            if member_key in seen:
                self.error(
                    sheet,
                    row,
                    "id_number" if id_number else "name",
                    str(DUPLICATE_MEMBER_ROW_MESSAGE) % {"row": seen[member_key]},
                )
                continue
            seen[member_key] = row
            member = MemberRow(sheet.title, row, person, data["role"], data["joined_on"])
            if isinstance(target, OrgRow):
                member.org_row = target
                start_org = target.existing
                founded = target.data.get("founded_on") or target.data.get("registered_on")
                if start_org is not None and not founded:
                    founded = start_org.founded_on or start_org.registered_on
            else:
                member.organization = target
                founded = target.founded_on or target.registered_on
            if person.get("grid_role") and person.get("grid_community") is None:
                person["grid_community"] = (
                    target.data.get("community") if isinstance(target, OrgRow) else target.community
                ) or (target.existing.community if isinstance(target, OrgRow) else None)
            if data["joined_on"] and founded and data["joined_on"] < founded:
                self.error(
                    sheet,
                    row,
                    "joined_on",
                    str(JOINED_BEFORE_ORG_MESSAGE) % {"date": founded.isoformat()},
                )
                continue
            existing_person = people.get(id_number) if id_number else None
            while existing_person is not None and existing_person.merged_into_id:
                existing_person = existing_person.merged_into
            if existing_person is not None:
                member.reused_person = True
                if match_key(existing_person.name) != match_key(person.get("name")):
                    visible = (
                        Person.objects.visible_to(self.actor).filter(pk=existing_person.pk).exists()
                    )
                    message = (
                        people_services.NAME_MISMATCH_VISIBLE_MESSAGE
                        % {"name": existing_person.name}
                        if visible
                        else str(people_services.NAME_MISMATCH_HIDDEN_MESSAGE)
                    )
                    self.error(sheet, row, "name", message)
                    continue
            org_pk = (
                member.organization.pk
                if member.organization
                else (target.existing.pk if target.existing else None)
            )
            members_now = current.get(org_pk, []) if org_pk else []
            if _already_member(existing_person, person, members_now):
                member.action = ACTION_UNCHANGED
            self.plan.members.append(member)

    def _resolve_org(self, sheet, row, data, ledger_orgs, editable, by_code, by_name):
        """Return the OrgRow or Organization a member row refers to; False or None if unusable."""
        code, name = data.get("org_code"), data.get("org_name")
        found = None
        if code:
            found = by_code.get(code) or next(
                (o for o in ledger_orgs if o.credit_code == code), None
            )
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
            in_ledger = [o for o in ledger_orgs if o.name == name]
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
            self.error(
                sheet,
                row,
                "organization",
                str(REQUIRED_MESSAGE) % {"field": sheet.header_of("organization")},
            )
            return None
        if isinstance(found, OrgRow):
            return found if found.ok else False
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
        person: dict = {"name": text("name")}
        if not person["name"] and (sheet.title, row, "name") not in self.failed:
            self.error(
                sheet, row, "name", str(REQUIRED_MESSAGE) % {"field": sheet.header_of("name")}
            )
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
        choice = lambda key, choices: self._cell_value(  # noqa: E731
            sheet, row, cells, key, lambda cell: values.as_choice(cell, choices, _allowed(choices))
        )
        gender = choice("gender", GENDER_CHOICES)
        political = choice("political_status", POLITICAL_CHOICES)
        if political in ("full", "probationary"):
            person["is_party_member"] = True
            person["party_status"] = political
        grid_role = choice("grid_role", GRID_ROLE_CHOICES)
        result["role"] = choice("role", ROLE_CHOICES) or Membership.Role.MEMBER
        joined_on = self._cell_value(sheet, row, cells, "joined_on", values.as_date)
        if joined_on is None and (sheet.title, row, "joined_on") not in self.failed:
            self.error(
                sheet,
                row,
                "joined_on",
                str(REQUIRED_MESSAGE) % {"field": sheet.header_of("joined_on")},
            )
        elif joined_on and joined_on > self.today:
            self.error(sheet, row, "joined_on", JOINED_IN_FUTURE_MESSAGE)
        result["joined_on"] = joined_on
        try:
            cleaned = people_services.clean_person_data(person)
        except ValidationError as error:
            self.field_errors(sheet, row, error)
            cleaned = person
        if gender and cleaned.get("gender") and cleaned["gender"] != gender:
            label = Person.Gender(cleaned["gender"]).label
            self.error(sheet, row, "gender", str(GENDER_CONFLICT_MESSAGE) % {"gender": label})
        elif gender:
            cleaned["gender"] = gender
        if grid_role:
            cleaned["grid_role"] = grid_role
            cleaned["grid_community"] = cleaned.get("community")
        result["person"] = cleaned
        return result


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


def validate_sheets(*, actor, sheets: list[Sheet], today: date | None = None) -> Plan:
    """Check every row of the sheets against the rules and the ledger; return the plan."""
    return _Validator(actor, sheets, today).run()
