"""Every change to a booking: checked against the rules, saved and audited in one transaction.

No two blocking (pending or confirmed) bookings of a room overlap, under any concurrency. The
overlap check in booking_create runs first and names the conflicting slot (a single booking on
PostgreSQL skips it: the constraint's refusal is named the same way); it is not the guarantee:
- PostgreSQL: the exclusion constraint "booking_no_overlap" (migration 0002) refuses the second
  of two concurrent inserts with SQLSTATE 23P01, which we turn into the same BookingConflict.
- SQLite: every transaction is IMMEDIATE (settings), so writers queue for the write lock and
  the check and the insert of one booking run with no other writer in between.
Every write that puts a booking on a room's calendar first takes the room's row lock
(`_lock_room`): writers for one room queue, so the check and the weekly quota see what the
previous writer committed, and concurrent inserts never wait on each other's uncommitted rows
inside the exclusion constraint's check (two such waits can cross, and PostgreSQL then aborts
one with "deadlock detected" instead of a clean conflict).

The package, by responsibility: bookings (create, cancel, move), series (weekly series),
approvals (approve, reject, used or no-show, expiry), checks (the steps they share) and errors
(the messages and BookingConflict). Import from the package: `from venues.services import X`.
"""

from venues import rules
from venues.services.approvals import (
    booking_approve,
    booking_mark_no_show,
    booking_mark_used,
    booking_reject,
    bookings_expire_pending,
)
from venues.services.bookings import booking_cancel, booking_create, booking_move

# Replaced by the booking race's negative controls: every caller looks it up here.
from venues.services.checks import _first_overlap
from venues.services.errors import (
    ALREADY_STARTED,
    ATTENDANCE_TOO_LOW,
    CENTER_CLOSED,
    CENTER_NOT_OPEN,
    CONSTRAINT_NAME,
    END_BEFORE_START,
    EXCLUSION_VIOLATION,
    EXPIRED_REASON,
    IN_THE_PAST,
    MOVE_ONLY_SERIES,
    NOT_CANCELLABLE,
    NOT_CONFIRMED,
    NOT_ENDED_YET,
    NOT_MOVABLE,
    NOT_PENDING,
    NOT_SAME_DAY,
    ORGANIZATION_INACTIVE,
    OUTSIDE_OPENING_HOURS,
    OVER_CAPACITY,
    PURPOSE_REQUIRED,
    QUOTA_EXCEEDED,
    REASON_REQUIRED,
    ROOM_INACTIVE,
    SERIES_CONFLICTS,
    SERIES_DATE_ORDER,
    SERIES_NO_DATES,
    SLOT_TAKEN,
    SLOT_TAKEN_UNKNOWN,
    TIME_NOT_AWARE,
    TOO_FAR_AHEAD,
    BookingConflict,
)
from venues.services.series import booking_series_create, booking_series_preview

__all__ = [
    "ALREADY_STARTED",
    "ATTENDANCE_TOO_LOW",
    "CENTER_CLOSED",
    "CENTER_NOT_OPEN",
    "CONSTRAINT_NAME",
    "END_BEFORE_START",
    "EXCLUSION_VIOLATION",
    "EXPIRED_REASON",
    "IN_THE_PAST",
    "MOVE_ONLY_SERIES",
    "NOT_CANCELLABLE",
    "NOT_CONFIRMED",
    "NOT_ENDED_YET",
    "NOT_MOVABLE",
    "NOT_PENDING",
    "NOT_SAME_DAY",
    "ORGANIZATION_INACTIVE",
    "OUTSIDE_OPENING_HOURS",
    "OVER_CAPACITY",
    "PURPOSE_REQUIRED",
    "QUOTA_EXCEEDED",
    "REASON_REQUIRED",
    "ROOM_INACTIVE",
    "SERIES_CONFLICTS",
    "SERIES_DATE_ORDER",
    "SERIES_NO_DATES",
    "SLOT_TAKEN",
    "SLOT_TAKEN_UNKNOWN",
    "TIME_NOT_AWARE",
    "TOO_FAR_AHEAD",
    "BookingConflict",
    "_first_overlap",
    "booking_approve",
    "booking_cancel",
    "booking_create",
    "booking_mark_no_show",
    "booking_mark_used",
    "booking_move",
    "booking_reject",
    "booking_series_create",
    "booking_series_preview",
    "bookings_expire_pending",
    "rules",
]
