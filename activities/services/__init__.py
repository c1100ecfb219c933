"""Recording, verifying and rating what organisations do: checked, saved and audited.

The package, by responsibility: activities (record, change, photos), verification (verify or
return an activity or a mediation case), mediations, ratings (residents' ratings and phone
surveys), checks (the steps they share) and messages. Import from the package:
`from activities.services import X`.
"""

from activities.services.activities import (
    ACTIVITY_FIELDS,
    activity_create,
    activity_from_booking,
    activity_photo_add,
    activity_update,
)
from activities.services.mediations import MEDIATION_FIELDS, mediation_create, mediation_update
from activities.services.messages import (
    ACTIVITY_END_BEFORE_START,
    ACTIVITY_PLACE_REQUIRED,
    ACTIVITY_VERIFIED_LOCKED,
    BOOKING_ALREADY_RECORDED,
    BOOKING_NOT_USED,
    CO_ORGANIZER_OUT_OF_AREA,
    COMMUNITY_OUT_OF_AREA,
    FEEDBACK_ALREADY_RATED,
    FEEDBACK_CLOSED,
    FEEDBACK_COMMENT_LINK,
    FEEDBACK_COMMENT_REPEATED,
    FEEDBACK_COMMENT_TOO_LONG,
    FEEDBACK_RATE_LIMITED,
    FEEDBACK_SCORE_RANGE,
    MEDIATION_NO_ID_NUMBERS,
    NOT_SUBMITTED,
    RETURN_REASON_REQUIRED,
    VERIFY_EMPTY_UNCONFIRMED,
)
from activities.services.ratings import (
    COMMENT_MAX_LENGTH,
    RATE_LIMIT_PER_MINUTE,
    RATE_LIMIT_WINDOW,
    address_hash,
    device_fingerprint,
    feedback_record_phone_survey,
    feedback_submit_public,
    new_device_id,
)
from activities.services.verification import (
    activity_return,
    activity_verify,
    is_empty_record,
    mediation_return,
    mediation_verify,
)

__all__ = [
    "ACTIVITY_END_BEFORE_START",
    "ACTIVITY_FIELDS",
    "ACTIVITY_PLACE_REQUIRED",
    "ACTIVITY_VERIFIED_LOCKED",
    "BOOKING_ALREADY_RECORDED",
    "BOOKING_NOT_USED",
    "COMMENT_MAX_LENGTH",
    "COMMUNITY_OUT_OF_AREA",
    "CO_ORGANIZER_OUT_OF_AREA",
    "FEEDBACK_ALREADY_RATED",
    "FEEDBACK_CLOSED",
    "FEEDBACK_COMMENT_LINK",
    "FEEDBACK_COMMENT_REPEATED",
    "FEEDBACK_COMMENT_TOO_LONG",
    "FEEDBACK_RATE_LIMITED",
    "FEEDBACK_SCORE_RANGE",
    "MEDIATION_FIELDS",
    "MEDIATION_NO_ID_NUMBERS",
    "NOT_SUBMITTED",
    "RATE_LIMIT_PER_MINUTE",
    "RATE_LIMIT_WINDOW",
    "RETURN_REASON_REQUIRED",
    "VERIFY_EMPTY_UNCONFIRMED",
    "activity_create",
    "activity_from_booking",
    "activity_photo_add",
    "activity_return",
    "activity_update",
    "activity_verify",
    "address_hash",
    "device_fingerprint",
    "feedback_record_phone_survey",
    "feedback_submit_public",
    "is_empty_record",
    "mediation_create",
    "mediation_return",
    "mediation_update",
    "mediation_verify",
    "new_device_id",
]
