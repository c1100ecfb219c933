"""The JSON API, version 1: each app adds its routes here."""

from django.urls import include, path

urlpatterns = [
    path("", include("venues.api.urls")),
]
