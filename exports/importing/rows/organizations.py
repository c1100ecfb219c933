"""The organisation sheet's checks (a part of the validator)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db.models import Q

from core.identifiers import (
    validate_credit_code,
)
from exports.importing import values
from exports.importing.reader import Sheet
from exports.importing.rows.messages import (
    ACTION_CREATE,
    ACTION_UNCHANGED,
    ACTION_UPDATE,
    DUPLICATE_ORG_ROW_MESSAGE,
    ORG_CHOICE_FIELDS,
    ORG_DATE_FIELDS,
    ORG_INACTIVE_MESSAGE,
    ORG_OUTSIDE_MESSAGE,
    ORG_TEXT_FIELDS,
    _allowed,
)
from exports.importing.rows.plan import (
    OrgRow,
)
from orgs.models import Organization
from orgs.services import organizations as org_services


class OrganizationChecks:
    """Check the organisation rows into the plan; mixed into `_Validator`."""

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
