"""Every change to branches, their members, meetings and instructors: checked and audited.

Rules (支部工作条例 and the county's programme): a branch is set up with 3+ formal Party members
(正式党员) drawn from the current members of its organisations who are Party members; a joint
branch spans 2–5 organisations of one township; at most 50 members; a person is in at most one
active branch; a dissolved branch keeps its records; meeting attendees are branch members on
the meeting's day, and meetings are recorded only for days the branch was active.

The package, by responsibility: branches (set up, dissolve), members (who may join, add,
remove), meetings (record, required frequencies), instructors, checks (the steps they share)
and messages. Import from the package: `from party_branches.services import X`.
"""

from party_branches.services.branches import branch_create, branch_dissolve
from party_branches.services.instructors import instructor_assign, instructor_end
from party_branches.services.meetings import frequency_update, meeting_record
from party_branches.services.members import branch_add_member, branch_remove_member, eligible_people
from party_branches.services.messages import (
    BRANCH_ALREADY_IN_BRANCH_MESSAGE,
    BRANCH_DATE_FUTURE_MESSAGE,
    BRANCH_DISSOLVED_MESSAGE,
    BRANCH_JOINED_BEFORE_ESTABLISHED_MESSAGE,
    BRANCH_JOINT_TOO_FEW_MESSAGE,
    BRANCH_JOINT_TOO_MANY_MESSAGE,
    BRANCH_NAME_REQUIRED_MESSAGE,
    BRANCH_NO_ORGANIZATION_MESSAGE,
    BRANCH_NOT_ELIGIBLE_MESSAGE,
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
    FREQUENCY_COUNT_MESSAGE,
    INSTRUCTOR_ALREADY_ACTIVE_MESSAGE,
    INSTRUCTOR_END_BEFORE_START_MESSAGE,
    INSTRUCTOR_ENDED_MESSAGE,
    INSTRUCTOR_NAME_REQUIRED_MESSAGE,
    MEETING_AFTER_DISSOLVED_MESSAGE,
    MEETING_ATTACHMENT_EXTENSIONS,
    MEETING_ATTACHMENT_TYPE_MESSAGE,
    MEETING_ATTENDEE_NOT_MEMBER_MESSAGE,
    MEETING_BEFORE_ESTABLISHED_MESSAGE,
    MEETING_DATE_FUTURE_MESSAGE,
    MEETING_NO_ATTENDEES_MESSAGE,
    MEETING_ROLE_NOT_MEMBER_MESSAGE,
    MEETING_TOPIC_REQUIRED_MESSAGE,
    MEMBER_LEFT_BEFORE_JOINED_MESSAGE,
    MEMBER_NOT_CURRENT_MESSAGE,
    MEMBER_REASON_REQUIRED_MESSAGE,
    MEMBER_REMOVAL_TOO_FEW_FORMAL_MESSAGE,
    MERGE_INSTRUCTOR_END_REASON,
)

__all__ = [
    "BRANCH_ALREADY_IN_BRANCH_MESSAGE",
    "BRANCH_DATE_FUTURE_MESSAGE",
    "BRANCH_DISSOLVED_MESSAGE",
    "BRANCH_JOINED_BEFORE_ESTABLISHED_MESSAGE",
    "BRANCH_JOINT_TOO_FEW_MESSAGE",
    "BRANCH_JOINT_TOO_MANY_MESSAGE",
    "BRANCH_NAME_REQUIRED_MESSAGE",
    "BRANCH_NOT_ELIGIBLE_MESSAGE",
    "BRANCH_NO_ORGANIZATION_MESSAGE",
    "BRANCH_ONE_TOWNSHIP_MESSAGE",
    "BRANCH_ORGANIZATION_HAS_BRANCH_MESSAGE",
    "BRANCH_ORGANIZATION_INACTIVE_MESSAGE",
    "BRANCH_PARENT_REQUIRED_MESSAGE",
    "BRANCH_SECRETARY_NOT_FORMAL_MEMBER_MESSAGE",
    "BRANCH_SINGLE_ONE_ORGANIZATION_MESSAGE",
    "BRANCH_TOO_FEW_FORMAL_MESSAGE",
    "BRANCH_TOO_MANY_MEMBERS_MESSAGE",
    "DISSOLVE_BEFORE_JOINED_MESSAGE",
    "DISSOLVE_BEFORE_MEETING_MESSAGE",
    "DISSOLVE_REASON_REQUIRED_MESSAGE",
    "FREQUENCY_COUNT_MESSAGE",
    "INSTRUCTOR_ALREADY_ACTIVE_MESSAGE",
    "INSTRUCTOR_ENDED_MESSAGE",
    "INSTRUCTOR_END_BEFORE_START_MESSAGE",
    "INSTRUCTOR_NAME_REQUIRED_MESSAGE",
    "MEETING_AFTER_DISSOLVED_MESSAGE",
    "MEETING_ATTACHMENT_EXTENSIONS",
    "MEETING_ATTACHMENT_TYPE_MESSAGE",
    "MEETING_ATTENDEE_NOT_MEMBER_MESSAGE",
    "MEETING_BEFORE_ESTABLISHED_MESSAGE",
    "MEETING_DATE_FUTURE_MESSAGE",
    "MEETING_NO_ATTENDEES_MESSAGE",
    "MEETING_ROLE_NOT_MEMBER_MESSAGE",
    "MEETING_TOPIC_REQUIRED_MESSAGE",
    "MEMBER_LEFT_BEFORE_JOINED_MESSAGE",
    "MEMBER_NOT_CURRENT_MESSAGE",
    "MEMBER_REASON_REQUIRED_MESSAGE",
    "MEMBER_REMOVAL_TOO_FEW_FORMAL_MESSAGE",
    "MERGE_INSTRUCTOR_END_REASON",
    "branch_add_member",
    "branch_create",
    "branch_dissolve",
    "branch_remove_member",
    "eligible_people",
    "frequency_update",
    "instructor_assign",
    "instructor_end",
    "meeting_record",
]
