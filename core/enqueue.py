"""One way to start a background task, and one answer when the queue (the broker) is down.

Every path that starts a Celery task from a request goes through `enqueue`: a dead or
unreachable broker raises `BrokerUnavailable` with the Chinese message, never a bare
connection error. The caller marks its job row failed with that message (so nothing stays
"queued" forever), and `BrokerUnavailableMiddleware` turns an unhandled one into a 503 page
saying so instead of a 500.
"""

from __future__ import annotations

import logging

import redis.exceptions
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = gettext_lazy(
    "The background job queue is temporarily unavailable, please try again later."
)

# What a dead, unreachable or refusing broker raises while publishing: kombu wraps most errors
# in OperationalError (a KombuError), but the Redis transport lets its own ConnectionError and
# TimeoutError through, and sockets raise OSError (refused, reset, unreachable, DNS).
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    KombuError,
    OSError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
    redis.exceptions.ReadOnlyError,
)


class BrokerUnavailable(Exception):
    """The broker could not take the task: the user is told to try again later (HTTP 503)."""

    def __init__(self, message=None):
        super().__init__(str(message or QUEUE_UNAVAILABLE))


def enqueue(task, *args, **kwargs):
    """Send `task(*args, **kwargs)` to a worker (run in-process in eager mode).

    Returns the AsyncResult; raises BrokerUnavailable when the broker cannot take it.
    """
    try:
        return task.apply_async(args=args, kwargs=kwargs)
    except BrokerUnavailable:
        raise
    except BROKER_ERRORS as error:
        logger.warning("task %s could not be enqueued: %s", task.name, type(error).__name__)
        raise BrokerUnavailable from error


class BrokerUnavailableMiddleware:
    """Answer 503 with a page that says the queue is down when a view lets the error out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BrokerUnavailable):
            return None
        return render(request, "503.html", {"message": str(exception)}, status=503)
