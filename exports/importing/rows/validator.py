"""The validator: every row of a read workbook checked into a plan."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from core.identifiers import (
    validate_id_number,
)
from exports.importing import headers, values
from exports.importing.reader import Sheet
from exports.importing.rows.areas import (
    _Areas,
)
from exports.importing.rows.members import MemberChecks
from exports.importing.rows.messages import (
    MISSING_COLUMN_MESSAGE,
    REQUIRED_MESSAGE,
)
from exports.importing.rows.organizations import OrganizationChecks
from exports.importing.rows.plan import (
    Plan,
    RowError,
)


class _Validator(OrganizationChecks, MemberChecks):
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


def validate_sheets(
    *, actor, sheets, today: date | None = None, progress=None, read_done=None
) -> Plan:
    """Check every row of the sheets against the rules and the ledger; return the plan.

    `sheets` yields Sheet objects (a `WorkbookReader`, or a list) whose rows are read once,
    as they come; `read_done(rows)` is called when every row is read, before the checks
    across rows; `progress(rows)` as the rows are checked.
    """
    return _Validator(actor, sheets, today, progress, read_done).run()
