"""Messages of the booking services (English msgids; Chinese in the catalogue) and the
conflict error that views and the API answer with 409."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EXCLUSION_VIOLATION = "23P01"
CONSTRAINT_NAME = "booking_no_overlap"

# --- Messages (English msgids; Chinese in the catalogue) ---
ROOM_INACTIVE = _("This room is not in use.")
ORGANIZATION_INACTIVE = _("%(organization)s is no longer active and cannot book rooms.")
TIME_NOT_AWARE = _("Give the time with its time zone.")
END_BEFORE_START = _("The end must be after the start.")
NOT_SAME_DAY = _("A booking must start and end on the same day.")
IN_THE_PAST = _("This time has already passed.")
TOO_FAR_AHEAD = _("Rooms can be booked at most %(days)d days ahead.")
CENTER_CLOSED = _("%(center)s is closed on %(date)s (%(reason)s).")
CENTER_NOT_OPEN = _("%(center)s is not open on %(date)s.")
OUTSIDE_OPENING_HOURS = _("Outside the opening hours of %(center)s on %(date)s: %(hours)s.")
OVER_CAPACITY = _("%(room)s holds at most %(capacity)d people.")
ATTENDANCE_TOO_LOW = _("Expect at least one person.")
PURPOSE_REQUIRED = _("Say what the room is booked for.")
QUOTA_EXCEEDED = _(
    "%(organization)s may book %(room)s for at most %(quota)d hours a week; "
    "the week of %(week)s would reach %(hours)s hours."
)
SLOT_TAKEN = _(
    "This slot is already taken: %(room)s %(date)s %(start)s–%(end)s (%(organization)s)."
)
SLOT_TAKEN_UNKNOWN = _("This slot was just taken by another booking of %(room)s.")
SERIES_NO_DATES = _("No %(weekday)s falls between the first and the last date.")
SERIES_CONFLICTS = _("%(count)d of the dates cannot be booked: %(dates)s.")
SERIES_DATE_ORDER = _("The last date must not be before the first date.")
NOT_PENDING = _("Only a pending booking can be approved or rejected.")
NOT_CANCELLABLE = _("Only a pending or confirmed booking can be cancelled.")
NOT_MOVABLE = _("Only a pending or confirmed booking can be moved.")
ALREADY_STARTED = _("The booking has already started.")
REASON_REQUIRED = _("Give a reason.")
NOT_CONFIRMED = _("Only a confirmed booking can be marked used or no-show.")
NOT_ENDED_YET = _("A booking can be marked used or no-show only after it has ended.")
MOVE_ONLY_SERIES = _("Only one occurrence of a weekly series can be moved.")
EXPIRED_REASON = _("Not approved before the booking started.")


class BookingConflict(ValidationError):
    """The slot (or some dates of a series) is held by another pending or confirmed booking.

    `conflicts` lists plain dicts: date, start, end, reason and, when another booking holds
    the slot, its id, organisation name and status. Views and the API answer 409.
    """

    def __init__(self, message, *, conflicts: list[dict], field_name: str = "start"):
        super().__init__({field_name: [message]})
        self.conflicts = conflicts
        self.detail = str(message)
