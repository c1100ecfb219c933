"""Embedded default for `make run`: SQLite, eager Celery, DEBUG on, no env needed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
