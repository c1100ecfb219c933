"""The venues' models, one module per responsibility; every name importable from here."""

from venues.models.bookings import Booking, BookingQuerySet, BookingSeries
from venues.models.centers import (
    Closure,
    NearbyScopedQuerySet,
    OpeningHours,
    ServiceCenter,
    ServiceCenterQuerySet,
)
from venues.models.rooms import DecisionRight, Room, RoomQuerySet

__all__ = [
    "Booking",
    "BookingQuerySet",
    "BookingSeries",
    "Closure",
    "DecisionRight",
    "NearbyScopedQuerySet",
    "OpeningHours",
    "Room",
    "RoomQuerySet",
    "ServiceCenter",
    "ServiceCenterQuerySet",
]
