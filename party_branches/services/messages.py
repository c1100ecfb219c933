"""Messages of the branch services (English msgids; Chinese in the catalogue), and the
attachment types a meeting accepts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from party_branches.models import MeetingAttachment

BRANCH_NO_ORGANIZATION_MESSAGE = _("Choose the organisation the branch is set up in.")
BRANCH_SINGLE_ONE_ORGANIZATION_MESSAGE = _(
    "A branch formed singly is set up in exactly one organisation."
)
BRANCH_JOINT_TOO_FEW_MESSAGE = _(
    "A branch formed jointly spans at least %(min)s organisations; %(count)s chosen."
)
BRANCH_JOINT_TOO_MANY_MESSAGE = _(
    "A branch formed jointly spans at most %(max)s organisations; %(count)s chosen."
)
BRANCH_ONE_TOWNSHIP_MESSAGE = _(
    "All organisations of a joint branch must be in one township: %(names)s are not in "
    "%(township)s."
)
BRANCH_ORGANIZATION_INACTIVE_MESSAGE = _(
    "%(name)s is no longer active (merged, deregistered or revoked)."
)
BRANCH_ORGANIZATION_HAS_BRANCH_MESSAGE = _("%(name)s already has the active branch “%(branch)s”.")
BRANCH_NAME_REQUIRED_MESSAGE = _("Give the branch a name.")
BRANCH_PARENT_REQUIRED_MESSAGE = _("Give the parent Party organisation.")
BRANCH_DATE_FUTURE_MESSAGE = _("The date cannot be in the future.")
BRANCH_TOO_FEW_FORMAL_MESSAGE = _(
    "The chosen members include only %(count)s formal Party members; at least %(required)s are "
    "needed to set up a branch."
)
BRANCH_TOO_MANY_MEMBERS_MESSAGE = _(
    "A branch has at most %(max)s members; %(count)s chosen. Split it into two branches."
)
BRANCH_NOT_ELIGIBLE_MESSAGE = _(
    "%(names)s cannot join: only current members of the branch's organisations who are Party "
    "members can."
)
BRANCH_ALREADY_IN_BRANCH_MESSAGE = _(
    "%(person)s is already a member of the active branch “%(branch)s”; a person can be in only "
    "one temporary branch at a time."
)
BRANCH_SECRETARY_NOT_FORMAL_MEMBER_MESSAGE = _(
    "The branch secretary must be one of its formal Party members."
)
BRANCH_DISSOLVED_MESSAGE = _("This branch has been dissolved; its records are kept read-only.")
BRANCH_JOINED_BEFORE_ESTABLISHED_MESSAGE = _(
    "The date cannot be before the branch was set up (%(established_on)s)."
)
MEMBER_NOT_CURRENT_MESSAGE = _("%(person)s has already left the branch.")
MEMBER_LEFT_BEFORE_JOINED_MESSAGE = _(
    "The leaving date cannot be before %(person)s joined (%(joined_on)s)."
)
MEMBER_REMOVAL_TOO_FEW_FORMAL_MESSAGE = _(
    "Removing %(person)s would leave only %(count)s formal Party members; a branch needs at least "
    "%(required)s. Add a formal member first, or dissolve the branch."
)
MEMBER_REASON_REQUIRED_MESSAGE = _("Give the reason for leaving.")
DISSOLVE_REASON_REQUIRED_MESSAGE = _("Give the reason for dissolving the branch.")
DISSOLVE_BEFORE_MEETING_MESSAGE = _(
    "The branch held a meeting on %(held_on)s: it cannot be dissolved before that day."
)
DISSOLVE_BEFORE_JOINED_MESSAGE = _(
    "%(person)s joined the branch on %(joined_on)s: it cannot be dissolved before that day."
)
MEETING_DATE_FUTURE_MESSAGE = _("A meeting cannot be recorded for a day in the future.")
MEETING_BEFORE_ESTABLISHED_MESSAGE = _(
    "The branch was set up on %(established_on)s: a meeting cannot be recorded before that day."
)
MEETING_AFTER_DISSOLVED_MESSAGE = _(
    "The branch was dissolved on %(dissolved_on)s: no meeting can be recorded from that day."
)
MEETING_TOPIC_REQUIRED_MESSAGE = _("Give the meeting's topic.")
MEETING_NO_ATTENDEES_MESSAGE = _("Tick the members who attended.")
MEETING_ATTENDEE_NOT_MEMBER_MESSAGE = _("%(names)s were not members of the branch on %(held_on)s.")
MEETING_ROLE_NOT_MEMBER_MESSAGE = _("Choose a member of the branch on the day of the meeting.")
MEETING_ATTACHMENT_TYPE_MESSAGE = _(
    "Attach the minutes as PDF, Word or an image, or photos as JPEG or PNG."
)
MEETING_ATTACHMENT_EXTENSIONS = {
    ".pdf": MeetingAttachment.Kind.MINUTES,
    ".doc": MeetingAttachment.Kind.MINUTES,
    ".docx": MeetingAttachment.Kind.MINUTES,
    ".jpg": MeetingAttachment.Kind.PHOTO,
    ".jpeg": MeetingAttachment.Kind.PHOTO,
    ".png": MeetingAttachment.Kind.PHOTO,
}
INSTRUCTOR_NAME_REQUIRED_MESSAGE = _("Give the instructor's name or choose them from the ledger.")
INSTRUCTOR_ALREADY_ACTIVE_MESSAGE = _(
    "%(name)s already has the instructor %(instructor)s; end that assignment first."
)
INSTRUCTOR_ENDED_MESSAGE = _("This assignment has already ended.")
INSTRUCTOR_END_BEFORE_START_MESSAGE = _(
    "The end date cannot be before the assignment started (%(started_on)s)."
)
MERGE_INSTRUCTOR_END_REASON = _("The organisation was merged into %(name)s")
FREQUENCY_COUNT_MESSAGE = _("The number of meetings per period must be between 0 and 31.")
