"""Backups that restore (issue 17): a dump of the demo restored into a fresh database, every
table's rows and every file found again; a damaged dump or a full target refused."""

import json
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.backup import MANIFEST, BackupError, Database, file_roots, prune, restore, verify

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    settings = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = {
        "dbname": "postgres",
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    database = Database(
        vendor="postgresql",
        name=name,
        host=settings.get("HOST") or "",
        port=str(settings.get("PORT") or ""),
        user=settings.get("USER") or "",
        password=settings.get("PASSWORD") or "",
    )
    yield database
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def roots(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORTS_ROOT = tmp_path / "var" / "exports"
    settings.IMPORTS_ROOT = tmp_path / "var" / "imports"
    (settings.MEDIA_ROOT / "activities").mkdir(parents=True)
    (settings.MEDIA_ROOT / "activities" / "photo.jpg").write_bytes(b"\xff\xd8" + b"x" * 5000)
    settings.EXPORTS_ROOT.mkdir(parents=True)
    (settings.EXPORTS_ROOT / "台账.xlsx").write_bytes(b"PK" + b"y" * 3000)
    return settings


def test_the_demo_restores_into_a_fresh_database_with_every_row_and_file(
    tmp_path, roots, fresh_database
):
    call_command("seed_demo", verbosity=0)
    call_command("backup_registry", "--to", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    restored = {
        "media": tmp_path / "restored" / "media",
        "exports": tmp_path / "restored" / "exports",
        "imports": tmp_path / "restored" / "imports",
    }

    checked = restore(folder, database=fresh_database, files_to=restored)

    assert checked["files"] == 2
    assert checked["tables"] > 50
    assert checked["rows"] > 10_000  # the demo county: organisations, people, bookings...
    assert (restored["exports"] / "台账.xlsx").read_bytes() == b"PK" + b"y" * 3000


def test_a_damaged_dump_or_a_full_database_is_refused(tmp_path, roots, fresh_database):
    call_command("backup_registry", "--to", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    dump = folder / "database.dump"
    original = dump.read_bytes()
    dump.write_bytes(original[:-10] + b"0123456789")
    with pytest.raises(CommandError, match="损坏"):
        call_command("restore_registry", str(folder), database_url=_url(fresh_database))
    dump.write_bytes(original)
    call_command("restore_registry", str(folder), database_url=_url(fresh_database))
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore_registry", str(folder), database_url=_url(fresh_database))
    # and a restore that lost rows is caught by the check
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["tables"]["accounts_user"] += 1
    with pytest.raises(BackupError, match="accounts_user"):
        verify(manifest, database=fresh_database, roots=file_roots())


def test_only_the_newest_backups_are_kept(tmp_path):
    for stamp in ("20261201-031500", "20261202-031500", "20261203-031500"):
        folder = tmp_path / f"registry-{stamp}"
        folder.mkdir()
        (folder / MANIFEST).write_text("{}")
    gone = prune(tmp_path, keep=2)
    assert [path.name for path in gone] == ["registry-20261201-031500"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "registry-20261202-031500",
        "registry-20261203-031500",
    ]


def _url(database: Database) -> str:
    auth = database.user + (f":{database.password}" if database.password else "")
    return (
        f"postgres://{auth}@{database.host or '127.0.0.1'}:{database.port or 5432}/{database.name}"
    )
