"""Importing ledgers from xlsx: upload checks, header recognition, row validation, commit.

Limits come from settings with safe defaults, read at call time so tests can override them.
"""

from pathlib import Path

from django.conf import settings

# Sized for a city's member ledger (issue 15): the check and the commit run as Celery tasks,
# so the web timeout no longer bounds the rows. A 100,000-row members workbook of the
# template's columns measures 4.5 MB (47 MB once its sheet is inflated); the limits leave
# room for wider sheets written by Excel (styles, more columns).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 250 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 500
DEFAULT_MAX_RATIO = 200
DEFAULT_MAX_COLUMNS = 60


def imports_root() -> Path:
    """Return the private directory holding uploaded ledgers (never under MEDIA_ROOT)."""
    return Path(getattr(settings, "IMPORTS_ROOT", settings.BASE_DIR / "var" / "imports"))


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES))


def max_entries() -> int:
    return int(getattr(settings, "IMPORT_MAX_ZIP_ENTRIES", DEFAULT_MAX_ENTRIES))


def max_ratio() -> int:
    return int(getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", DEFAULT_MAX_RATIO))


def max_columns() -> int:
    return int(getattr(settings, "IMPORT_MAX_COLUMNS", DEFAULT_MAX_COLUMNS))
