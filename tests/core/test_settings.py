"""Production settings: deploy checks clean, no default secret key, SQLite that waits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k7#Qz9@wL2!vR5$tY8^pN3&sD6*fG1(hJ4)mB0-cX7_eA2+uW9=oI5"


def run_manage(*args, env_overrides):
    ignored = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env.update({"DJANGO_SETTINGS_MODULE": "registry.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "registry.example.gov.cn"},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "short-key", "dev-only-insecure-key-change-me-in-production-0123456789", "a" * 60],
)
def test_production_refuses_to_start_without_a_strong_secret_key(secret_key):
    overrides = {"ALLOWED_HOSTS": "registry.example.gov.cn"}
    if secret_key is not None:
        overrides["SECRET_KEY"] = secret_key

    result = run_manage("check", env_overrides=overrides)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_sqlite_waits_for_the_write_lock_instead_of_failing():
    if connection.vendor != "sqlite":
        assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_defaults_are_chinese_and_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
