"""The JSON API's error answers: JSON 404s under /api/, throttling explained in Chinese.

Apart from accounts/api.py because DRF imports its permission classes while loading its views.
"""

import math

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler

API_PREFIX = "/api/"
API_NOT_FOUND = gettext_lazy("Not found, or outside your area.")
API_THROTTLED = gettext_lazy("Too many requests: try again in %(wait)d seconds.")


def api_exception_handler(exc, context):
    """DRF's answers, with the throttle's and the missing object's message in Chinese."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else 60
        response.data = {"detail": _(API_THROTTLED) % {"wait": wait}}
    elif isinstance(exc, Http404):
        # An object missing or outside the user's area (the two look the same).
        response.data = {"detail": str(API_NOT_FOUND)}
    return response


def page_not_found(request, exception):
    """The 404 answer: JSON under /api/ (an unknown path too), the Chinese page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": str(API_NOT_FOUND)}, status=404)
    return defaults.page_not_found(request, exception)
