"""Gunicorn settings for production (`gunicorn -c gunicorn.conf.py registry.wsgi`).

Gunicorn's own access log writes the request line, query string included, without going through
Django's logging. A people search by ID number or mobile (`?q=...`) would put the full number in
the log, so the access and error lines go through the project's masking filter and JSON formatter
(core.logging) instead of gunicorn's plain handlers.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))

# No `accesslog`: gunicorn would add its own unmasked handler. Setting `logconfig_dict` turns the
# access log on and sends it through the handler below.
accesslog = None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_ids": {"()": "core.logging.MaskSensitiveFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["mask_ids"],
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
