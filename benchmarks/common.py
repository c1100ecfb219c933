"""Shared helpers for the benchmark scripts: Django set-up on a throw-away database, timing, tables.

Import this module before anything from Django: `setup_django` must run first.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "benchmarks" / "results"


def sqlite_path(name: str) -> Path:
    """Return the benchmark's SQLite file under benchmarks/results/ (gitignored)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    return RESULTS_DIR / f"{name}.sqlite3"


def remove_sqlite(path: Path) -> None:
    """Delete a SQLite database file and its WAL and shared-memory companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def setup_django(database_url: str) -> None:
    """Configure registry.settings.local for a measurement run and call django.setup().

    DATABASE_URL from the environment wins over `database_url`. DEBUG is off so that the
    timings are those of a production-like process (queries are still captured where asked).
    """
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.local")
    os.environ.setdefault("DATABASE_URL", database_url)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    hosts = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver"

    import django

    django.setup()


def timed(function: Callable[[], object]) -> float:
    """Return how many seconds one call of `function` took."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def median_time(function: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Return the median, fastest and slowest time of `runs` calls, in seconds."""
    times = [timed(function) for _ in range(runs)]
    return statistics.median(times), min(times), max(times)


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:,.1f} ms"


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    """Render a Markdown table."""
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
