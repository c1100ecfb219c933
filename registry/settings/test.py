"""Settings for the test suite: same as production in behaviour, faster where it doesn't matter."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"
EXPORTS_ROOT = BASE_DIR / ".test-exports" / str(os.getpid())
IMPORTS_ROOT = BASE_DIR / ".test-exports" / f"imports-{os.getpid()}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: a real Celery worker process in the integration tests must see it.
    # One per test process, so that parallel runs don't share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"registry-test-{os.getpid()}.sqlite3")
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks run in-process unless a test starts a real worker (tests/integration).
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = ""
CELERY_TASK_ALWAYS_EAGER = True
