"""Validating every row of a read workbook into a plan of what the commit would write.

The plan is computed against the ledger as it is now; the commit recomputes it inside its
transaction, so nothing validated here can be stale when written.

One module per part: `messages`, `plan`, `areas`, `organizations` and `members` (the
validator's two halves), `validator`.
"""

from exports.importing.rows.messages import (
    ACTION_CREATE,
    ACTION_UNCHANGED,
    ACTION_UPDATE,
    CATEGORY_UNKNOWN_MESSAGE,
    COMMUNITY_AMBIGUOUS_MESSAGE,
    COMMUNITY_OUTSIDE_MESSAGE,
    COMMUNITY_TOWNSHIP_MESSAGE,
    COMMUNITY_UNKNOWN_MESSAGE,
    DUPLICATE_MEMBER_ROW_MESSAGE,
    DUPLICATE_ORG_ROW_MESSAGE,
    GENDER_CHOICES,
    GENDER_FROM_ID_WARNING,
    GRADE_CHOICES,
    GRID_ROLE_CHOICES,
    ID_NAME_CONFLICT_ROW_MESSAGE,
    JOINED_BEFORE_ORG_MESSAGE,
    JOINED_IN_FUTURE_MESSAGE,
    LEGAL_FORM_CHOICES,
    MISSING_COLUMN_MESSAGE,
    ORG_CHOICE_FIELDS,
    ORG_DATE_FIELDS,
    ORG_INACTIVE_MESSAGE,
    ORG_OUTSIDE_MESSAGE,
    ORG_REF_AMBIGUOUS_MESSAGE,
    ORG_REF_CONFLICT_MESSAGE,
    ORG_REF_UNKNOWN_MESSAGE,
    ORG_TEXT_FIELDS,
    POLITICAL_CHOICES,
    REGISTRATION_CHOICES,
    REQUIRED_MESSAGE,
    ROLE_CHOICES,
    category_key,
    column_decider,
)
from exports.importing.rows.plan import (
    MemberRow,
    OrgRow,
    Plan,
    RowError,
)
from exports.importing.rows.validator import (
    validate_sheets,
)

__all__ = [
    "ACTION_CREATE",
    "ACTION_UNCHANGED",
    "ACTION_UPDATE",
    "CATEGORY_UNKNOWN_MESSAGE",
    "COMMUNITY_AMBIGUOUS_MESSAGE",
    "COMMUNITY_OUTSIDE_MESSAGE",
    "COMMUNITY_TOWNSHIP_MESSAGE",
    "COMMUNITY_UNKNOWN_MESSAGE",
    "DUPLICATE_MEMBER_ROW_MESSAGE",
    "DUPLICATE_ORG_ROW_MESSAGE",
    "GENDER_CHOICES",
    "GENDER_FROM_ID_WARNING",
    "GRADE_CHOICES",
    "GRID_ROLE_CHOICES",
    "ID_NAME_CONFLICT_ROW_MESSAGE",
    "JOINED_BEFORE_ORG_MESSAGE",
    "JOINED_IN_FUTURE_MESSAGE",
    "LEGAL_FORM_CHOICES",
    "MISSING_COLUMN_MESSAGE",
    "ORG_CHOICE_FIELDS",
    "ORG_DATE_FIELDS",
    "ORG_INACTIVE_MESSAGE",
    "ORG_OUTSIDE_MESSAGE",
    "ORG_REF_AMBIGUOUS_MESSAGE",
    "ORG_REF_CONFLICT_MESSAGE",
    "ORG_REF_UNKNOWN_MESSAGE",
    "ORG_TEXT_FIELDS",
    "POLITICAL_CHOICES",
    "REGISTRATION_CHOICES",
    "REQUIRED_MESSAGE",
    "ROLE_CHOICES",
    "MemberRow",
    "OrgRow",
    "Plan",
    "RowError",
    "category_key",
    "column_decider",
    "validate_sheets",
]
