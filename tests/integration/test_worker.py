"""A real worker process runs the registry's tasks against the same database as the web."""

import pytest
from django.urls import reverse

from core.tasks import ping
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.integration


def test_task_runs_in_a_real_worker_that_sees_the_test_database(celery_worker_process):
    # given two users committed to the test database
    UserFactory.create_batch(2)

    # when the ping task is sent through Redis to the worker process
    result = ping.delay()

    # then the worker answers, from the same database
    answer = result.get(timeout=30)
    assert answer["pong"] is True
    assert answer["users"] == 2
    assert result.successful()


def test_healthz_reports_broker_and_worker_up(celery_worker_process, client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["broker"] == {"ok": True, "mode": "broker"}
    assert body["workers"]["ok"] is True
    assert body["workers"]["count"] >= 1
