"""Celery queues by kind (issue 17): every task goes to the queue of its kind, and every queue
has a worker (make worker, docker-compose, the test worker)."""

import re
from pathlib import Path

import yaml
from django.conf import settings

from registry.celery import app

BASE_DIR = Path(__file__).resolve().parents[2]

EXPECTED = {
    "scoring.run_ranking": "scoring",
    "scoring.recompute_current_quarter": "scoring",
    "scoring.finalize_previous_quarter": "scoring",
    "exports.run_export_job": "exports",
    "exports.check_import_job": "imports",
    "exports.commit_import_job": "imports",
    "exports.expire_export_jobs": "periodic",
    "orgs.expire_credit_listings": "periodic",
    "orgs.scan_zombies": "periodic",
    "venues.expire_pending_bookings": "periodic",
    "rollups.rebuild_rollups": "periodic",
    "dashboards.warm_overview": "periodic",
    "core.clear_expired_sessions": "periodic",
    "core.nightly_backup": "periodic",
    "core.ping": "celery",
}


def queue_of(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name)
    return route["queue"].name


def registry_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_each_task_goes_to_the_queue_of_its_kind():
    assert registry_tasks() == set(EXPECTED), "a new task needs its queue in this table"
    assert {name: queue_of(name) for name in EXPECTED} == EXPECTED


def test_every_queue_a_task_goes_to_is_a_registry_queue():
    assert {queue_of(name) for name in registry_tasks()} <= set(settings.REGISTRY_QUEUES)


def test_the_periodic_jobs_do_not_wait_behind_exports_or_recomputes():
    for job in settings.CELERY_BEAT_SCHEDULE.values():
        if not job["task"].startswith("scoring."):
            assert queue_of(job["task"]) == "periodic", job["task"]


def _queues(command: list[str] | str) -> set[str]:
    words = command if isinstance(command, list) else command.split()
    return set(words[words.index("-Q") + 1].split(","))


def test_docker_compose_runs_a_worker_for_every_queue_and_scoring_apart():
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    workers = {
        name: _queues(service["command"])
        for name, service in services.items()
        if "worker" in service.get("command", [])
    }
    assert set().union(*workers.values()) == set(settings.REGISTRY_QUEUES)
    assert workers["worker-scoring"] == {"scoring"}
    assert "scoring" not in workers["worker"]


def test_make_worker_consumes_every_queue():
    makefile = (BASE_DIR / "Makefile").read_text()
    command = re.search(r"celery -A registry worker[^\n]*", makefile).group(0)
    assert _queues(command) == set(settings.REGISTRY_QUEUES)
