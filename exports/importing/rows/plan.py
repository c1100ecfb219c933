"""The plan of an import: its rows, what each would do, the errors found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext

from core.masking import mask_id_number
from exports.importing import headers
from exports.importing.rows.messages import (
    ACTION_CREATE,
    ACTION_UNCHANGED,
    ACTION_UPDATE,
)
from orgs.models import Organization


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
