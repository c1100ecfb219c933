"""A real Celery worker process against Redis and the test database.

The broker is CELERY_TEST_BROKER_URL, by default the local Redis's database 15. When it is
unreachable the tests fail with a message saying so: they never skip.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection

from registry.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/15"


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def _forget_connections() -> None:
    """Drop the app's cached result backend and broker pools so that new URLs take effect.

    The old pools are left to the garbage collector: closing them breaks producers that
    still hold a reference.
    """
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(scope="session")
def broker_url():
    url = os.environ.get("CELERY_TEST_BROKER_URL") or DEFAULT_BROKER_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"The Celery broker {url} is unreachable ({error}); start Redis.")
    return url


@pytest.fixture
def celery_worker_process(broker_url, transactional_db, settings, tmp_path):
    """Start `celery worker` in a subprocess, point the app at it, stop it afterwards."""
    redis.Redis.from_url(broker_url).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings.test_worker",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "registry",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            ",".join(django_settings.REGISTRY_QUEUES),
            "-n",
            f"test-{os.getpid()}@%h",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = {
        "broker_url": celery_app.conf.broker_url,
        "result_backend": celery_app.conf.result_backend,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    celery_app.conf.update(
        broker_url=broker_url, result_backend=broker_url, task_always_eager=False
    )
    _forget_connections()
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "The Celery worker did not start:\n" + (tmp_path / "worker.log").read_text()
                )
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        celery_app.conf.update(**previous)
        _forget_connections()
