"""The project's URLconf plus the benchmark's floor: an authenticated DRF view reading one row.

The floor goes through what every API view does (token authentication, the permission
classes, the per-user throttle, JSON rendering) and reads one room by primary key, so the
ratio of an endpoint to it is the cost of the endpoint's own work. Loaded only by the
gunicorn of benchmarks/api.py (DJANGO_SETTINGS_MODULE=benchmarks.api_settings).
"""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.urls import urlpatterns as project_urlpatterns
from venues.models import Room


class FloorView(APIView):
    def get(self, request):
        room = Room.objects.values("id", "name").order_by("pk").first()
        return Response(room)


urlpatterns = [path("bench/floor/", FloorView.as_view()), *project_urlpatterns]
handler404 = "accounts.api_errors.page_not_found"
