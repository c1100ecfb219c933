"""Every change to people and memberships: checked, saved, audited and historied together.

One module per responsibility: `rules` (messages, shared checks), `records` (a resident's
details), `memberships` (join, leave, rejoin), `merging` (duplicates folded together).
"""

from orgs.services.people.memberships import (
    membership_add,
    membership_end,
    membership_rejoin,
)
from orgs.services.people.merging import (
    check_person_merge,
    person_merge,
    person_merge_plan,
)
from orgs.services.people.records import (
    person_reveal,
    person_update,
)
from orgs.services.people.rules import (
    ALREADY_MEMBER_MESSAGE,
    DUPLICATE_CLOSED_REASON,
    GENDER_FROM_ID,
    GRID_ROLE_NEEDS_COMMUNITY_MESSAGE,
    ID_NUMBER_TAKEN_HIDDEN_MESSAGE,
    ID_NUMBER_TAKEN_VISIBLE_MESSAGE,
    JOINED_BEFORE_ORGANIZATION_MESSAGE,
    JOINED_IN_FUTURE_MESSAGE,
    LEFT_BEFORE_JOINED_MESSAGE,
    LEFT_IN_FUTURE_MESSAGE,
    LEFT_REASON_REQUIRED_MESSAGE,
    MEMBERSHIP_ALREADY_ENDED_MESSAGE,
    MEMBERSHIP_NOT_ENDED_MESSAGE,
    MERGE_ALREADY_MERGED_MESSAGE,
    MERGE_COPY_GROUPS,
    MERGE_ID_NUMBERS_DIFFER_MESSAGE,
    MERGE_REASON_REQUIRED_MESSAGE,
    MERGE_SAME_PERSON_MESSAGE,
    NAME_FIELDS,
    NAME_MISMATCH_HIDDEN_MESSAGE,
    NAME_MISMATCH_VISIBLE_MESSAGE,
    ORGANIZATION_INACTIVE_MESSAGE,
    PARTY_STATUS_NEEDS_MEMBER_MESSAGE,
    PERSON_FIELDS,
    REJOIN_BEFORE_LEFT_MESSAGE,
    SENSITIVE_FIELDS,
    TEXT_FIELDS,
    _check_joined_on,  # noqa: F401  (the bulk import checks its rows alike)
    _check_organization_active,  # noqa: F401
    check_person_rules,
    clean_person_data,
    id_number_taken_error,
    masked_changes,
)

__all__ = [
    "ALREADY_MEMBER_MESSAGE",
    "DUPLICATE_CLOSED_REASON",
    "GENDER_FROM_ID",
    "GRID_ROLE_NEEDS_COMMUNITY_MESSAGE",
    "ID_NUMBER_TAKEN_HIDDEN_MESSAGE",
    "ID_NUMBER_TAKEN_VISIBLE_MESSAGE",
    "JOINED_BEFORE_ORGANIZATION_MESSAGE",
    "JOINED_IN_FUTURE_MESSAGE",
    "LEFT_BEFORE_JOINED_MESSAGE",
    "LEFT_IN_FUTURE_MESSAGE",
    "LEFT_REASON_REQUIRED_MESSAGE",
    "MEMBERSHIP_ALREADY_ENDED_MESSAGE",
    "MEMBERSHIP_NOT_ENDED_MESSAGE",
    "MERGE_ALREADY_MERGED_MESSAGE",
    "MERGE_COPY_GROUPS",
    "MERGE_ID_NUMBERS_DIFFER_MESSAGE",
    "MERGE_REASON_REQUIRED_MESSAGE",
    "MERGE_SAME_PERSON_MESSAGE",
    "NAME_FIELDS",
    "NAME_MISMATCH_HIDDEN_MESSAGE",
    "NAME_MISMATCH_VISIBLE_MESSAGE",
    "ORGANIZATION_INACTIVE_MESSAGE",
    "PARTY_STATUS_NEEDS_MEMBER_MESSAGE",
    "PERSON_FIELDS",
    "REJOIN_BEFORE_LEFT_MESSAGE",
    "SENSITIVE_FIELDS",
    "TEXT_FIELDS",
    "check_person_merge",
    "check_person_rules",
    "clean_person_data",
    "id_number_taken_error",
    "masked_changes",
    "membership_add",
    "membership_end",
    "membership_rejoin",
    "person_merge",
    "person_merge_plan",
    "person_reveal",
    "person_update",
]
