"""The activity pages."""

from activities.views.activities import (
    activity_create,
    activity_detail,
    activity_from_booking,
    activity_list,
    activity_print,
    activity_qr_png,
    activity_qr_svg,
    activity_update,
)
from activities.views.common import (
    LIST_CAP,
    PAGE_SIZE,
)
from activities.views.feedback import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_MAX_AGE,
    DEVICE_COOKIE_SALT,
    feedback_public,
    feedback_thanks,
    organization_feedback,
    phone_survey_create,
)
from activities.views.mediations import (
    mediation_create,
    mediation_decide,
    mediation_list,
    mediation_update,
)
from activities.views.photos import (
    activity_photo,
    activity_photo_add,
)
from activities.views.verification import (
    LONG_WAIT_DAYS,
    activity_decide,
    verification_queue,
)

__all__ = [
    "DEVICE_COOKIE",
    "DEVICE_COOKIE_MAX_AGE",
    "DEVICE_COOKIE_SALT",
    "LIST_CAP",
    "LONG_WAIT_DAYS",
    "PAGE_SIZE",
    "activity_create",
    "activity_decide",
    "activity_detail",
    "activity_from_booking",
    "activity_list",
    "activity_photo",
    "activity_photo_add",
    "activity_print",
    "activity_qr_png",
    "activity_qr_svg",
    "activity_update",
    "feedback_public",
    "feedback_thanks",
    "mediation_create",
    "mediation_decide",
    "mediation_list",
    "mediation_update",
    "organization_feedback",
    "phone_survey_create",
    "verification_queue",
]
