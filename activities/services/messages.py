"""Messages of the activity services (English msgids; Chinese in the catalogue)."""

from django.utils.translation import gettext_lazy as _

ACTIVITY_PLACE_REQUIRED = _("Give the place, or record the activity from its booking.")
ACTIVITY_END_BEFORE_START = _("The end must be after the start.")
ACTIVITY_VERIFIED_LOCKED = _("A verified record can no longer be changed.")
VERIFY_EMPTY_UNCONFIRMED = _(
    "This record has no description and no photo. Confirm that you verify it as it is."
)
NOT_SUBMITTED = _("Only records awaiting verification can be verified or returned.")
RETURN_REASON_REQUIRED = _("Give the reason for returning the record.")
BOOKING_NOT_USED = _("Only a booking marked as used can be recorded as an activity.")
BOOKING_ALREADY_RECORDED = _("This booking has already been recorded as an activity.")
CO_ORGANIZER_OUT_OF_AREA = _("Co-organisers must be organisations of your own area.")
COMMUNITY_OUT_OF_AREA = _(
    "Choose a community of your own area: records can only be made for the area you serve."
)
MEDIATION_NO_ID_NUMBERS = _("Do not enter ID numbers or phone numbers in the summary.")
FEEDBACK_SCORE_RANGE = _("Choose a score from 1 to 5.")
FEEDBACK_CLOSED = _("Rating has closed: this activity could be rated until %(date)s.")
FEEDBACK_RATE_LIMITED = _(
    "Too many ratings from this network in the last minute. Please wait a minute and try again."
)
FEEDBACK_ALREADY_RATED = _("Thank you, this device has already rated this activity.")
FEEDBACK_COMMENT_LINK = _("Links are not accepted in comments.")
FEEDBACK_COMMENT_TOO_LONG = _("Please keep the comment under 500 characters.")
FEEDBACK_COMMENT_REPEATED = _("The comment repeats one character too many times.")
