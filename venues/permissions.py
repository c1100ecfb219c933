"""Who may book for which organisation, and who decides on a booking.

Booking for an organisation: its contact (only their own), the secretary of its community,
township staff of its township, the county administrator. Deciding on a booking (approve,
reject, mark used or no-show): the room's named approvers if it has any; otherwise the
secretary of the centre's community, or for a township-level centre the township's staff;
the county administrator always. Read-only roles decide nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.policies import may
from accounts.scoping import Level, scope_for
from orgs.models import Organization
from venues.models import Booking, DecisionRight, Room


def organizations_bookable_by(user) -> QuerySet[Organization]:
    """Organisations the user may book rooms for (active or not: services check activity)."""
    if not may(user, "venues.book"):
        return Organization.objects.none()
    scope = scope_for(user)
    if scope.county_wide:
        return Organization.objects.visible_to(user)
    if scope.level == Level.ORGANIZATION and scope.organization_id:
        return Organization.objects.filter(pk=scope.organization_id)
    if scope.level == Level.COMMUNITY and scope.community_id:
        return Organization.objects.filter(community_id=scope.community_id)
    if scope.level == Level.TOWNSHIP and scope.township_id:
        return Organization.objects.filter(community__township_id=scope.township_id)
    return Organization.objects.none()


def can_book_for(user, organization: Organization) -> bool:
    """Whether the user may book (and manage bookings) for the organisation."""
    return organizations_bookable_by(user).filter(pk=organization.pk).exists()


def rooms_bookable_by(user) -> QuerySet[Room]:
    """Rooms in use that the user can see, so may book."""
    if scope_for(user).read_only:
        return Room.objects.none()
    return Room.objects.visible_to(user).active()


def may_decide(user) -> bool:
    """Whether the user may decide on any booking at all (read-only accounts decide none)."""
    return DecisionRight.of(user) is not None


def approvable_condition(user) -> Q | None:
    """A filter on bookings the user may decide on; None when they may decide none."""
    right = DecisionRight.of(user)
    return None if right is None else right.booking_condition()


def can_approve(user, booking: Booking) -> bool:
    """Whether the user decides on this booking (approve, reject, mark used or no-show)."""
    right = DecisionRight.of(user)
    return right is not None and right.covers(booking.room)


def can_cancel(user, booking: Booking) -> bool:
    """The booker, whoever may book for the organisation, and the approvers may cancel."""
    if scope_for(user).read_only:
        return False
    if booking.booked_by_id == user.pk:
        return True
    return can_book_for(user, booking.organization) or can_approve(user, booking)


def can_move(user, booking: Booking) -> bool:
    """Moving one occurrence follows the cancel rule."""
    return can_cancel(user, booking)


def bookings_visible_to(user) -> QuerySet[Booking]:
    """Bookings the user sees (`Booking.objects.visible_to`, the one definition: their area's,
    plus those they decide on as an approver), with the rooms read first for a page in time
    order."""
    return Booking.objects.visible_to(user, rooms_first=True)


def can_see_utilisation(user) -> bool:
    """County admins, officials and township staff read the utilisation table."""
    return may(user, "venues.read_utilisation")
