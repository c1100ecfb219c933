"""Backups that restore: the database and the files, with a manifest to check a restore by.

`backup(target_dir)` writes one folder `registry-<stamp>/` holding `database.dump` (pg_dump's
custom format on PostgreSQL; SQLite's online backup of the file otherwise), `files.tar.gz` (the
media, the export workbooks and the uploaded ledgers) and `manifest.json`: the row count of
every table and the SHA-256 of every file. `restore(folder, database_url)` loads the dump into
an empty database, puts the files back and checks both against the manifest. What a nightly
dump can lose is the day since it ran; point-in-time recovery needs PostgreSQL's WAL archiving
(README, "Backups").
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

DUMP = "database.dump"
FILES = "files.tar.gz"
MANIFEST = "manifest.json"
PREFIX = "registry-"


class BackupError(Exception):
    """A backup or a restore that cannot be done, with a message for the operator."""


def file_roots() -> dict[str, Path]:
    """The folders whose files a backup keeps, by the name they have inside the archive."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "exports": Path(settings.EXPORTS_ROOT),
        "imports": Path(settings.IMPORTS_ROOT),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_checksums(roots: dict[str, Path]) -> dict[str, str]:
    """SHA-256 of every file under the roots, by `<root name>/<relative path>`."""
    sums = {}
    for name, root in roots.items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                sums[f"{name}/{path.relative_to(root).as_posix()}"] = _sha256(path)
    return sums


@dataclass(frozen=True)
class Database:
    """Where a database is, from settings or a DATABASE_URL."""

    vendor: str
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls) -> Database:
        db = connections["default"].settings_dict
        vendor = "postgresql" if "postgresql" in db["ENGINE"] else "sqlite"
        return cls(
            vendor=vendor,
            name=str(db["NAME"]),
            host=str(db.get("HOST") or ""),
            port=str(db.get("PORT") or ""),
            user=str(db.get("USER") or ""),
            password=str(db.get("PASSWORD") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        parts = urlsplit(url)
        if parts.scheme.startswith("postgres"):
            return cls(
                vendor="postgresql",
                name=parts.path.lstrip("/"),
                host=parts.hostname or "",
                port=str(parts.port or ""),
                user=parts.username or "",
                password=parts.password or "",
            )
        if parts.scheme == "sqlite":
            # sqlite:////abs/path.db is an absolute path, sqlite:///rel.db a relative one
            return cls(vendor="sqlite", name=url[len("sqlite:///") :])
        raise BackupError(_("Unknown database address: %(url)s") % {"url": url})

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
        ):
            if value:
                env[key] = value
        return env


def _pg_connect(database: Database):
    import psycopg

    return psycopg.connect(
        dbname=database.name,
        host=database.host or None,
        port=database.port or None,
        user=database.user or None,
        password=database.password or None,
    )


def _pg_counts(conn) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    ]
    counts = {}
    for table in sorted(tables):
        row = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608
        counts[table] = row[0] if row else 0
    return counts


def _sqlite_counts(path: str) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        query = 'SELECT COUNT(*) FROM "{}"'  # table names read from sqlite_master
        return {t: conn.execute(query.format(t)).fetchone()[0] for t in sorted(tables)}


def _run(command: list[str], database: Database) -> None:
    result = subprocess.run(  # noqa: S603
        command, env=database.environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(command)s failed: %(error)s")
            % {"command": command[0], "error": result.stderr.strip()[-500:]}
        )


def backup(target_dir: Path, *, keep: int | None = None) -> Path:
    """Write one backup folder under target_dir and return it; keep the newest `keep`."""
    database = Database.from_settings()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(target_dir) / f"{PREFIX}{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    if database.vendor == "postgresql":
        # The counts and the dump read one snapshot: a write in between is in both or neither.
        import psycopg

        with _pg_connect(database) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            row = conn.execute("SELECT pg_export_snapshot()").fetchone()
            counts = _pg_counts(conn)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={row[0] if row else ''}",
                    f"--file={folder / DUMP}",
                    database.name,
                ],
                database,
            )
            conn.rollback()
    else:
        counts = _sqlite_counts(database.name)
        source = sqlite3.connect(database.name)
        copy = sqlite3.connect(folder / DUMP)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    roots = file_roots()
    with tarfile.open(folder / FILES, "w:gz") as archive:
        for name, root in roots.items():
            if root.is_dir():
                archive.add(root, arcname=name)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": database.vendor,
        "tables": counts,
        "files": file_checksums(roots),
        "dump_sha256": _sha256(folder / DUMP),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    if keep is not None:
        prune(Path(target_dir), keep=keep)
    return folder


def prune(target_dir: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backup folders; return those deleted."""
    folders = sorted(
        (path for path in target_dir.glob(f"{PREFIX}*") if (path / MANIFEST).is_file()),
        key=lambda path: path.name,
    )
    gone = folders[: max(0, len(folders) - keep)]
    for path in gone:
        shutil.rmtree(path)
    return gone


def _is_empty(database: Database) -> bool:
    if database.vendor == "sqlite":
        return not Path(database.name).exists() or not _sqlite_counts(database.name)
    with _pg_connect(database) as conn:
        return not _pg_counts(conn)


def restore(folder: Path, *, database: Database, files_to: dict[str, Path] | None = None) -> dict:
    """Load a backup into an empty database and put its files back; check both.

    Returns what was checked: {"tables": n, "rows": n, "files": n}. Raises BackupError when the
    database is not empty, the dump is not the one the manifest names, or a count or a file
    differs after the restore.
    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(_("No readable manifest in %(folder)s.") % {"folder": folder}) from error
    if manifest["vendor"] != database.vendor:
        raise BackupError(
            _("This backup is of a %(backup)s database; the target is %(target)s.")
            % {"backup": manifest["vendor"], "target": database.vendor}
        )
    if _sha256(folder / DUMP) != manifest["dump_sha256"]:
        raise BackupError(_("The database dump does not match its manifest: it is damaged."))
    if not _is_empty(database):
        raise BackupError(
            _("The target database %(name)s is not empty: restore into a new, empty database.")
            % {"name": database.name}
        )
    if database.vendor == "postgresql":
        _run(
            ["pg_restore", "--no-owner", f"--dbname={database.name}", str(folder / DUMP)], database
        )
    else:
        shutil.copyfile(folder / DUMP, database.name)
    roots = files_to or file_roots()
    with tarfile.open(folder / FILES, "r:gz") as archive:
        for member in archive.getmembers():
            top, _sep, rest = member.name.partition("/")
            if top not in roots or not rest or not (member.isfile() or member.isdir()):
                continue
            target = roots[top] / rest
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            if source is not None:
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out)
    return verify(manifest, database=database, roots=roots)


def _counts_of(database: Database) -> dict[str, int]:
    if database.vendor == "sqlite":
        return _sqlite_counts(database.name)
    with _pg_connect(database) as conn:
        return _pg_counts(conn)


def verify(manifest: dict, *, database: Database, roots: dict[str, Path]) -> dict:
    """Compare the restored database and files with the manifest; raise on any difference."""
    counts = _counts_of(database)
    wrong = {
        table: (rows, counts.get(table))
        for table, rows in manifest["tables"].items()
        if counts.get(table) != rows
    }
    if wrong:
        table, (expected, found) = sorted(wrong.items())[0]
        raise BackupError(
            _("After the restore %(table)s has %(found)s rows, the backup %(expected)s.")
            % {"table": table, "found": found, "expected": expected}
        )
    sums = file_checksums(roots)
    for path, digest in manifest["files"].items():
        if sums.get(path) != digest:
            raise BackupError(
                _("After the restore the file %(path)s is missing or differs.") % {"path": path}
            )
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "files": len(manifest["files"]),
        "created_at": datetime.fromisoformat(manifest["created_at"]),
    }
