from venues.views import bookings, centers

app_name = "venues"

# Each views module declares its own urlpatterns.
urlpatterns = [*centers.urlpatterns, *bookings.urlpatterns]
