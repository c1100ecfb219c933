"""Validating every row of a read workbook into a plan of what the commit would write.

The plan is computed against the ledger as it is now; the commit recomputes it inside its
transaction, so nothing validated here can be stale when written.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scoping import scope_for
from areas.models import Community
from core.identifiers import (
    normalize_credit_code,
    validate_credit_code,
    validate_id_number,
)
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
GENDER_FROM_ID_WARNING = _(
    "The gender does not match the ID number: recorded as %(gender)s, as the ID number says."
)
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


def category_key(text) -> str:
    """Compare category names loosely: 文体娱乐类, 文体娱乐 and ＂文体 娱乐类＂ are one."""
    return re.sub(r"\s", "", match_key(str(text))).removesuffix("类")


def _choice_key(text) -> str:
    return re.sub(r"\s", "", match_key(str(text))).upper()


def column_decider():
    """Return decide(kind, header, values) for the reader: which field an ambiguous column holds.

    Values that are category names point to the category, legal forms (社会团体, 民非…) to the
    legal form; None when they do not say (empty, or as many of each).
    """
    category_keys = {
        category_key(name)
        for name in Category.objects.filter(is_active=True).values_list("name", flat=True)
    }

    def decide(kind, header, cells) -> str | None:
        categories = legal_forms = 0
        for value in cells:
            if value is None or not str(value).strip():
                continue
            if _choice_key(value) in LEGAL_FORM_CHOICES:
                legal_forms += 1
            elif category_key(value) in category_keys:
                categories += 1
        if categories > legal_forms:
            return "category"
        if legal_forms > categories:
            return "legal_form"
        return None

    return decide


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
    leader_id_number: str = ""  # the leader's checked ID number, when the sheet gives it


@dataclass(slots=True)
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
    leader: bool = False  # the leader named in an organisations row


@dataclass
class Plan:
    organizations: list[OrgRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # problems the import corrected by itself (a gender that disagrees with the ID number)
    warnings: list[RowError] = field(default_factory=list)
    rows: int = 0
    # the file is refused as a whole (it cannot be read, or holds formulas): not kept on disk
    refused: bool = False

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
                    "leader": row.leader,
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
        self.categories = {c.name: c for c in Category.objects.filter(is_active=True)}
        self.category_keys = {category_key(name): c for name, c in self.categories.items()}

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
        found = self.category_keys.get(category_key(text))
        if found is None:
            raise values.CellProblem(
                str(CATEGORY_UNKNOWN_MESSAGE)
                % {"value": text[:30], "allowed": "、".join(self.categories)}
            )
        return found


PROGRESS_EVERY = 1000


class _Validator:
    def __init__(self, actor, sheets, today: date | None = None, progress=None, read_done=None):
        self.actor = actor
        self.progress = progress  # progress(rows checked so far), now and then
        self.read_done = read_done  # read_done(rows read), once every row is read
        self.source = sheets  # Sheet objects whose rows are read (streamed) once
        self.sheets: list[Sheet] = []
        self.today = today or timezone.localdate()
        self.plan = Plan()
        # where errors and warnings go now: the plan's, or a phase's kept for its turn
        self._errors: list[RowError] = self.plan.errors
        self._warnings: list[RowError] = self.plan.warnings
        self.areas = _Areas(actor)
        self.failed: set[tuple] = set()
        self.rows_failed: set[tuple] = set()
        self.missing: dict[str, set[str]] = {}

    # --- errors and warnings ---

    def error(self, sheet: Sheet, row: int | None, key: str, message) -> None:
        letter = sheet.letter_of(key) if key else ""
        header = sheet.header_of(key) if key else ""
        self.failed.add((sheet.title, row, key))
        self.rows_failed.add((sheet.title, row))
        self._errors.append(RowError(sheet.title, row, letter, header, str(message)))

    def warning(self, sheet: Sheet, row: int, key: str, message) -> None:
        """A problem the import corrects by itself: shown in the preview, never blocking."""
        self._warnings.append(
            RowError(sheet.title, row, sheet.letter_of(key), sheet.header_of(key), str(message))
        )

    def row_ok(self, sheet: Sheet, row: int) -> bool:
        return (sheet.title, row) not in self.rows_failed

    def cell_failed(self, sheet: Sheet, row: int, key: str) -> bool:
        return (sheet.title, row, key) in self.failed

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

    def required(self, sheet: Sheet, row: int, key: str) -> None:
        """Say a required cell is empty, unless its column is missing or the cell failed."""
        if key in self.missing.get(sheet.title, ()) or self.cell_failed(sheet, row, key):
            return
        self.error(sheet, row, key, str(REQUIRED_MESSAGE) % {"field": sheet.header_of(key)})

    # --- entry point ---

    def run(self) -> Plan:
        """Read every row once, keeping only its parsed values, then check them all.

        Each row's cells are turned into values as the row is read (cell errors recorded);
        the checks against the other rows and the ledger follow once every row is read. The
        errors keep the order of a check sheet by sheet: missing columns, then organisations
        (their cells, then their checks), then members (their cells, then their checks).
        """
        org_phase: tuple[list, list] = ([], [])  # errors, warnings
        member_phase: tuple[list, list] = ([], [])
        org_parsed: list[tuple] = []
        member_parsed: list[tuple] = []
        for sheet in self.source:
            self.sheets.append(sheet)
            missing = [f for f in headers.required_fields(sheet.kind) if not sheet.letter_of(f.key)]
            self.missing[sheet.title] = {f.key for f in missing}
            self._errors, self._warnings = self.plan.errors, self.plan.warnings
            for required in missing:
                self.error(
                    sheet,
                    None,
                    "",
                    str(MISSING_COLUMN_MESSAGE) % {"sheet": sheet.title, "field": required.label},
                )
            # every row is checked even when others failed: one preview lists every error
            if sheet.kind == headers.ORGANIZATIONS:
                self._errors, self._warnings = org_phase
                for row, cells in sheet.rows:
                    self.plan.rows += 1
                    data = self._org_data(sheet, row, cells)
                    leader_id = data.pop("leader_id_number", "")
                    org_parsed.append((sheet, row, data, leader_id))
            else:
                self._errors, self._warnings = member_phase
                for row, cells in sheet.rows:
                    self.plan.rows += 1
                    member_parsed.append((sheet, row, self._member_data(sheet, row, cells)))
        if self.read_done is not None:
            self.read_done(self.plan.rows)
        self._errors, self._warnings = self.plan.errors, self.plan.warnings
        self.plan.errors.extend(org_phase[0])
        self.plan.warnings.extend(org_phase[1])
        self._organizations(org_parsed)
        self.plan.errors.extend(member_phase[0])
        self.plan.warnings.extend(member_phase[1])
        self._members(member_parsed)
        return self.plan

    # --- organisations ---

    def _cell_value(self, sheet, row, cells, key, convert):
        try:
            return convert(cells.get(key))
        except values.CellProblem as problem:
            self.error(sheet, row, key, problem.message)
            if problem.refuses_file:
                self.plan.refused = True
            return None

    def _organizations(self, parsed: list[tuple]) -> None:
        """Check the organisation rows (sheet, row, data, leader's ID) read and parsed."""
        codes = {d["credit_code"] for _s, _r, d, _l in parsed if d.get("credit_code")}
        names = {d["name"] for _s, _r, d, _l in parsed if d.get("name")}
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
        for sheet, row, data, leader_id in parsed:
            org_row = OrgRow(sheet.title, row, data, leader_id_number=leader_id)
            self.plan.organizations.append(org_row)
            code = data.get("credit_code", "")
            community = data.get("community")
            name_key = (data["name"], community.pk) if data.get("name") and community else None
            if code and code in seen_codes:
                self.error(
                    sheet,
                    row,
                    "credit_code",
                    str(DUPLICATE_ORG_ROW_MESSAGE) % {"row": seen_codes[code]},
                )
            elif name_key and name_key in seen_names:
                self.error(
                    sheet,
                    row,
                    "name",
                    str(DUPLICATE_ORG_ROW_MESSAGE) % {"row": seen_names[name_key]},
                )
            else:
                if code:
                    seen_codes[code] = row
                if name_key:
                    seen_names[name_key] = row
                match = by_code.get(code) if code else None
                match = match or (by_name.get(name_key) if name_key else None)
                if match is not None:
                    self._org_update(sheet, org_row, match, match.pk in editable)
                else:
                    self._org_create(sheet, org_row)
            if leader_id and not (data.get("leader_name") or self._existing_leader(org_row)):
                self.required(sheet, row, "leader_name")
            org_row.ok = self.row_ok(sheet, row)

    @staticmethod
    def _existing_leader(org_row: OrgRow) -> str:
        return org_row.existing.leader_name if org_row.existing else ""

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
                    lambda cell, c=choices: values.as_choice(cell, c, partial(_allowed, c)),
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
        if "leader_id_number" in cells:
            data["leader_id_number"] = self._id_number(sheet, row, cells, "leader_id_number")
        if "leader_phone" in cells:
            phone = self._cell_value(sheet, row, cells, "leader_phone", values.as_mobile)
            if phone:
                data["leader_phone"] = phone
        if not data.get("name"):
            self.required(sheet, row, "name")
        township = self._cell_value(sheet, row, cells, "township", values.as_text) or ""
        community_text = self._cell_value(sheet, row, cells, "community", values.as_text)
        if community_text:
            try:
                data["community"] = self.areas.community(community_text, township, scoped=True)
            except values.CellProblem as problem:
                self.error(sheet, row, "community", problem.message)
        else:
            self.required(sheet, row, "community")
        category = self._cell_value(sheet, row, cells, "category", values.as_text)
        if category:
            try:
                data["category"] = self.areas.category(category)
            except values.CellProblem as problem:
                self.error(sheet, row, "category", problem.message)
        # Names tidied and prose kept as typed, as the ledger form stores them.
        data = org_services.normalize_organization_fields(data)
        return {key: value for key, value in data.items() if value not in (None, "")}

    def _id_number(self, sheet: Sheet, row: int, cells: dict, key: str) -> str:
        """Return a checked ID number ("" when empty or refused, with the error recorded)."""
        text = self._cell_value(
            sheet,
            row,
            cells,
            key,
            lambda cell: values.as_identifier(cell, numeric_message=values.ID_AS_NUMBER_MESSAGE),
        )
        if not text:
            return ""
        try:
            return validate_id_number(text, today=self.today)
        except ValidationError as error:
            for message in error.messages:
                self.error(sheet, row, key, message)
            return ""

    def _org_rules(self, sheet, org_row, fields, organization) -> None:
        fields = org_services.normalize_organization_fields(fields)
        problems = org_services.organization_rule_errors(
            actor=self.actor, fields=fields, organization=organization, today=self.today
        )
        for key, errors in problems.items():
            if self._already_said(sheet, org_row.row, key):
                continue
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
            if hasattr(error, "error_dict"):
                error = ValidationError(
                    {
                        key: problems
                        for key, problems in error.error_dict.items()
                        if not self._already_said(sheet, org_row.row, key)
                    }
                )
                if not error.error_dict:
                    return
            self.field_errors(sheet, org_row.row, error)

    def _already_said(self, sheet: Sheet, row: int, key: str) -> bool:
        """A cell that failed already (or a required column that is missing) needs no more."""
        return self.cell_failed(sheet, row, key) or key in self.missing.get(sheet.title, ())

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

    # --- members (and leaders named in the organisations sheet) ---

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
        joined_on = self._cell_value(sheet, row, cells, "joined_on", values.as_date)
        if joined_on is None:
            self.required(sheet, row, "joined_on")
        elif joined_on > self.today:
            self.error(sheet, row, "joined_on", JOINED_IN_FUTURE_MESSAGE)
        result["joined_on"] = joined_on
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


def validate_sheets(
    *, actor, sheets, today: date | None = None, progress=None, read_done=None
) -> Plan:
    """Check every row of the sheets against the rules and the ledger; return the plan.

    `sheets` yields Sheet objects (a `WorkbookReader`, or a list) whose rows are read once,
    as they come; `read_done(rows)` is called when every row is read, before the checks
    across rows; `progress(rows)` as the rows are checked.
    """
    return _Validator(actor, sheets, today, progress, read_done).run()
