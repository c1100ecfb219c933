"""What the oversight services share: their messages, the zombie reasons, small helpers."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

EARLIEST_INSPECTION_YEAR = 1990

INSPECTION_DUPLICATE_MESSAGE = _(
    "%(name)s already has an annual inspection for %(year)s. Open that one instead."
)
INSPECTION_YEAR_FUTURE_MESSAGE = _("The inspection year cannot be in the future.")
INSPECTION_YEAR_TOO_EARLY_MESSAGE = _("The inspection year cannot be before %(year)s.")
INSPECTION_YEAR_BEFORE_FOUNDED_MESSAGE = _(
    "The inspection year cannot be before the organisation was founded (%(year)s)."
)
INSPECTION_DATE_FUTURE_MESSAGE = _("The inspection date cannot be in the future.")

CREDIT_REASON_REQUIRED_MESSAGE = _("Give the reason for the listing.")
CREDIT_LISTED_FUTURE_MESSAGE = _("The listing date cannot be in the future.")
CREDIT_LISTED_BEFORE_CURRENT_MESSAGE = _(
    "A new abnormal listing cannot start before the one in force (listed on %(listed_on)s)."
)
CREDIT_ALREADY_SERIOUS_MESSAGE = _(
    "%(name)s is already on the serious violation and dishonesty list."
)
CREDIT_ORGANIZATION_INACTIVE_MESSAGE = _(
    "%(name)s is no longer active (merged, deregistered or revoked) and cannot be listed."
)
CREDIT_REMOVAL_REASON_REQUIRED_MESSAGE = _("Give the reason for the removal.")
CREDIT_REMOVED_BEFORE_LISTED_MESSAGE = _(
    "The removal date cannot be before the listing date (%(listed_on)s)."
)
CREDIT_REMOVED_FUTURE_MESSAGE = _("The removal date cannot be in the future.")
CREDIT_ALREADY_REMOVED_MESSAGE = _("This listing was already removed on %(removed_on)s.")
CREDIT_SUPERSEDED_REASON = _("Superseded by a new listing")
CREDIT_EXPIRED_REASON = _("Expired after 6 months without rectification")

ZOMBIE_ACTION_MESSAGE = _("Choose whether to confirm or to clear the flag.")
ZOMBIE_NOTE_REQUIRED_MESSAGE = _("Write a note saying what you checked.")
ZOMBIE_ALREADY_RESOLVED_MESSAGE = _("This flag was already resolved.")
ZOMBIE_ORGANIZATION_INACTIVE_MESSAGE = _(
    "%(name)s is no longer active (merged, deregistered or revoked); clear the flag instead."
)
ZOMBIE_REASON_NOT_INSPECTED = _("No annual inspection in %(first)s and %(second)s")
ZOMBIE_REASON_NO_MEMBERS = _("No current members")
ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION = _(
    "No verified activity since registration, more than a year ago"
)
ZOMBIE_REASON_NO_RECENT_ACTIVITY = _("No verified activity in the last two quarters")
ZOMBIE_REASON_NOT_INSPECTED_TWO_YEARS = _("No annual inspection in the last two years")
# Reason codes an older demo seed stored instead of the reason's text, shown in words.
ZOMBIE_REASON_CODES = {
    "no_current_members": ZOMBIE_REASON_NO_MEMBERS,
    "no_inspection_two_years": ZOMBIE_REASON_NOT_INSPECTED_TWO_YEARS,
    "no_activity_since_registration": ZOMBIE_REASON_NO_ACTIVITY_SINCE_REGISTRATION,
    "no_recent_activity": ZOMBIE_REASON_NO_RECENT_ACTIVITY,
}
ZOMBIE_QUIET_DAYS = 183

ZOMBIE_CONFIRM = "confirm"
ZOMBIE_CLEAR = "clear"


def in_ledger_language(message, **params) -> str:
    """Render a message stored in the ledger in the site's language, whoever triggers it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def zombie_reason_label(reason: str) -> str:
    """A stored zombie reason as users read it: the text itself, or a legacy code's words."""
    label = ZOMBIE_REASON_CODES.get(reason)
    return str(label) if label is not None else reason


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, field: str, message, **params) -> None:
    errors.setdefault(field, []).append(ValidationError(message, params=params or None))
