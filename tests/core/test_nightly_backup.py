"""The nightly backup (core.nightly_backup at 01:30, queue periodic): off until BACKUP_ROOT
names a folder; then one backup a night, the newest BACKUP_KEEP kept."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as project_settings

from core.backup import MANIFEST
from core.tasks import nightly_backup

pytestmark = pytest.mark.django_db(transaction=True)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def folders(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORTS_ROOT = tmp_path / "var" / "exports"
    settings.IMPORTS_ROOT = tmp_path / "var" / "imports"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "minutes.txt").write_text("会议记录", encoding="utf-8")
    settings.BACKUP_ROOT = str(tmp_path / "backups")
    settings.BACKUP_KEEP = 2
    return tmp_path


def test_three_nights_leave_the_two_newest_backups(folders):
    written = []
    for day in (1, 2, 3):
        night = datetime.datetime(2026, 12, day, 1, 30, tzinfo=SHANGHAI)
        with time_machine.travel(night, tick=False):
            written.append(nightly_backup())

    kept = sorted(path.name for path in (folders / "backups").iterdir())
    assert kept == ["registry-20261202-013000", "registry-20261203-013000"]
    assert written[-1].endswith("registry-20261203-013000")
    manifest = json.loads((folders / "backups" / kept[-1] / MANIFEST).read_text())
    assert "media/minutes.txt" in json.dumps(manifest, ensure_ascii=False)


def test_without_a_backup_folder_nothing_is_written(folders, settings):
    settings.BACKUP_ROOT = ""

    assert nightly_backup() == "off"
    assert not (folders / "backups").exists()


def test_it_runs_every_night_on_the_periodic_queue():
    entry = project_settings.CELERY_BEAT_SCHEDULE["nightly-backup"]

    assert entry["task"] == "core.nightly_backup"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({1}, {30})
    assert project_settings.CELERY_TASK_ROUTES["core.nightly_backup"] == {"queue": "periodic"}
