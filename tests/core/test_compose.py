"""docker-compose.yml starts in order on an empty database (issue 13 item 22)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]


def test_a_one_shot_migrate_service_runs_before_web_worker_and_beat(services):
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in APP_SERVICES:
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
        # Nobody else migrates: one process owns the schema.
        assert "migrate" not in " ".join(services[name]["command"]), name
        assert services[name]["environment"] == migrate["environment"], name


def test_long_running_services_restart_and_report_health(services):
    for name in ("postgres", "redis", *APP_SERVICES):
        assert services[name]["restart"] == "unless-stopped", name
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_dockerfile_commands_exist():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "python manage.py collectstatic --no-input" in dockerfile
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "registry.wsgi"]' in dockerfile
    for path in ("gunicorn.conf.py", "requirements.txt", "manage.py", "registry/wsgi.py"):
        assert (BASE_DIR / path).is_file(), path


def test_dockerignore_leaves_out_every_generated_folder():
    ignored = {
        line.strip()
        for line in (BASE_DIR / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for entry in (
        "var",
        ".test-*",
        ".hypothesis",
        "benchmarks/results",
        ".venv",
        "db.sqlite3*",
        "staticfiles",
        "media",
        "test-results",
        "tests/e2e/screenshots",
        ".pytest_cache",
        ".ruff_cache",
        "**/__pycache__",
        ".env",
        ".git",
    ):
        assert entry in ignored, entry


def test_env_example_says_how_the_settings_module_is_chosen():
    text = (BASE_DIR / ".env.example").read_text()
    assert "manage.py` when present" not in text
    assert "fall back to registry.settings.local" in text
    for path in ("manage.py", "registry/wsgi.py", "registry/celery.py"):
        source = (BASE_DIR / path).read_text()
        assert re.search(
            r'os\.environ\.setdefault\("DJANGO_SETTINGS_MODULE", "registry\.settings\.local"\)',
            source,
        ), path
    base = (BASE_DIR / "registry/settings/base.py").read_text()
    assert 'read_env(BASE_DIR / ".env", overwrite=False)' in base


@pytest.mark.integration
@pytest.mark.postgresql_only
def test_native_first_start_migrates_then_beat_stays_up():
    """Play the stack's first start on a fresh PostgreSQL database (scripts/compose_order.py)."""
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = f"{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}"
    server = f"postgres://{user}{password}@{host}"
    broker = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    result = subprocess.run(
        [sys.executable, "scripts/compose_order.py", "--postgres", server, "--broker", broker],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "beat stayed up" in result.stdout
