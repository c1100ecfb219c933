"""The Celery worker started by the integration tests: test settings, a real broker."""

from .base import env
from .test import *  # noqa: F403

CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = False
