"""Routes of the venues API under /api/v1/: room-list, room-detail, booking-list,
booking-detail, booking-cancel."""

from rest_framework.routers import SimpleRouter

from venues.api.views import BookingViewSet, RoomViewSet

router = SimpleRouter()
router.register("rooms", RoomViewSet, basename="room")
router.register("bookings", BookingViewSet, basename="booking")

urlpatterns = router.urls
