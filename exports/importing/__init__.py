"""Importing ledgers from xlsx: upload checks, header recognition, row validation, commit.

Limits come from settings with safe defaults, read at call time so tests can override them.
"""

from pathlib import Path

from django.conf import settings

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# The commit is synchronous: about 6 ms a row through the ledger services (history and audit
# rows), so 3,000 rows stay well inside the web timeout (60 s); bigger ledgers come in parts.
DEFAULT_MAX_ROWS = 3000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
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
