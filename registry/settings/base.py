"""Settings shared by every environment; everything that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Covering indexes (INCLUDE) serve PostgreSQL; on SQLite Django builds them without the extra
# columns, which is what we want there, and would warn about it on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "core",
    "rollups",
    "accounts",
    "areas",
    "orgs",
    "party_branches",
    "venues",
    "activities",
    "scoring",
    "exports",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.RegistryLoginRequiredMiddleware",
    "accounts.middleware.ReadOnlyRoleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A dead Celery broker answers a 503 page saying so (core.enqueue), not a 500.
    "core.enqueue.BrokerUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"
ASGI_APPLICATION = "registry.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
            ],
        },
    }
]

# Database: SQLite file by default; DATABASE_URL (PostgreSQL) in production.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions make concurrent writers queue for the lock instead of failing
    # with "database is locked"; WAL lets readers go on while one writer works.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ScopedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session lives SESSION_IDLE_MINUTES after the last request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Login brute-force protection (django-axes, with accounts.lockout's handler).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Lock the (username, address) pair and the username after AXES_FAILURE_LIMIT failures; an
# address alone (an office behind one NAT) only after AXES_ADDRESS_FAILURE_LIMIT.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=50)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_HANDLER = "accounts.lockout.RegistryLockoutHandler"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cache: Redis when REDIS_URL is set (shared by every web node), local memory otherwise.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a Redis broker when CELERY_BROKER_URL is set; otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Longer than the longest task, so that a slow task is not handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker and beat log through LOGGING below (masked JSON), not Celery's own root handler:
# task failures quote their arguments and exceptions.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Queues by kind (issue 17): an operator runs more workers for the queue that needs them, and a
# long export never waits behind a recompute or the other way round. `celery` is the default
# queue of anything not routed. `make worker` and the test worker consume every queue;
# docker-compose runs one worker for scoring and one for the rest.
CELERY_TASK_DEFAULT_QUEUE = "celery"
REGISTRY_QUEUES = ("scoring", "exports", "imports", "notifications", "periodic", "celery")
CELERY_TASK_ROUTES = {
    "scoring.*": {"queue": "scoring"},
    "exports.run_export_job": {"queue": "exports"},
    "exports.check_import_job": {"queue": "imports"},
    "exports.commit_import_job": {"queue": "imports"},
    "notifications.*": {"queue": "notifications"},
    # housekeeping that beat starts
    "exports.expire_export_jobs": {"queue": "periodic"},
    "orgs.*": {"queue": "periodic"},
    "venues.*": {"queue": "periodic"},
    "rollups.*": {"queue": "periodic"},
    "dashboards.*": {"queue": "periodic"},
    "core.clear_expired_sessions": {"queue": "periodic"},
    "core.nightly_backup": {"queue": "periodic"},
}
# Periodic jobs are declared here; beat copies them into django-celery-beat's tables.
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "core.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "expire-credit-listings": {
        "task": "orgs.expire_credit_listings",
        "schedule": crontab(hour=2, minute=30),
    },
    "scan-zombies": {
        "task": "orgs.scan_zombies",
        "schedule": crontab(hour=2, minute=45),
    },
    "expire-pending-bookings": {
        "task": "venues.expire_pending_bookings",
        "schedule": crontab(minute="*/15"),
    },
    "scoring-recompute-current-quarter": {
        "task": "scoring.recompute_current_quarter",
        "schedule": crontab(hour=2, minute=30),
    },
    "scoring-finalize-previous-quarter": {
        "task": "scoring.finalize_previous_quarter",
        "schedule": crontab(day_of_month=5, month_of_year="1,4,7,10", hour=4, minute=0),
    },
    "rollups-rebuild": {
        "task": "rollups.rebuild_rollups",
        "schedule": crontab(hour=3, minute=40),
    },
    "dashboards-warm-overview": {
        "task": "dashboards.warm_overview",
        "schedule": crontab(minute="*/5"),
    },
    # Off until BACKUP_ROOT names a folder (README, "Backups").
    "nightly-backup": {
        "task": "core.nightly_backup",
        "schedule": crontab(hour=1, minute=30),
    },
    "expire-export-files": {
        "task": "exports.expire_export_jobs",
        "schedule": crontab(minute=20),
    },
}

# Logging: one line per record on stdout; ID numbers are masked before anything is written.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_ids": {"()": "core.logging.MaskSensitiveFilter"}},
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["mask_ids"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# JSON API (/api/v1/): session or token authentication, scoped like the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api.ReadOnlyRolePermission",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.UserThrottle", "accounts.api.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_USER", default="600/minute"),
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
    },
    "EXCEPTION_HANDLER": "accounts.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "County social-organisation registry API",
    "DESCRIPTION": "Rooms and bookings of the Party-mass service centres (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Registry-specific settings.
VENUE_BOOKING_MAX_DAYS_AHEAD = env.int("VENUE_BOOKING_MAX_DAYS_AHEAD", default=60)
DEMO_PASSWORD = env("DEMO_PASSWORD", default="Registry-Demo-2026")
HEALTHZ_TIMEOUT_SECONDS = env.float("HEALTHZ_TIMEOUT_SECONDS", default=1.5)
# The name the counties migration gives the one county it makes from an existing county's
# data ("平安县"; empty: 本县). Workbooks print each county's own name (areas.County).
COUNTY_NAME = env("COUNTY_NAME", default="")
# The nightly backup (core.nightly_backup, 01:30): the folder it writes to (empty: off) and
# how many backups it keeps there.
BACKUP_ROOT = env("BACKUP_ROOT", default="")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
# Exported workbooks: a private directory outside MEDIA_ROOT (never served as media), served
# only through the export download view; files are deleted EXPORT_RETENTION_HOURS after.
EXPORTS_ROOT = env.path("EXPORTS_ROOT", default=BASE_DIR / "var" / "exports")
EXPORT_RETENTION_HOURS = env.int("EXPORT_RETENTION_HOURS", default=72)
# Uploaded ledgers wait here (never under MEDIA_ROOT) between validation and commit; the checks
# run before openpyxl reads a byte of them.
IMPORTS_ROOT = env.path("IMPORTS_ROOT", default=BASE_DIR / "var" / "imports")
# Sized for a city (100,000 rows; a 100,000-row members workbook is 4.5 MB, 47 MB inflated):
# checked and committed by Celery tasks, so no web timeout bounds them (issue 15).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=250 * 1024 * 1024)
