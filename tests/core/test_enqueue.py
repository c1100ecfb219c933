"""A dead broker answers "后台任务队列暂时不可用，请稍后再试" with 503 on every path that starts a
task, and the job row says why it never ran (issue 13 item 18)."""

import datetime
from unittest import mock

import pytest
import redis.exceptions
import time_machine
from django.urls import reverse
from kombu.exceptions import OperationalError

from core.enqueue import BrokerUnavailable, enqueue
from core.tasks import ping
from exports.models import ExportJob
from registry.celery import app as celery_app
from scoring.models import RankingRun

MESSAGE = "后台任务队列暂时不可用，请稍后再试"
# The page tests commit for real (transactional_db): tasks are enqueued on commit, as in
# production, and the error must reach the view from there.
DEAD_BROKER = "redis://127.0.0.1:1/0"


def _forget_connections():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def dead_broker():
    """Non-eager Celery against a port where nothing listens, for one test."""
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    _forget_connections()
    celery_app.conf.update(task_always_eager=False, broker_url=DEAD_BROKER)
    yield
    celery_app.conf.update(**previous)
    _forget_connections()


def test_enqueue_on_a_dead_broker_raises_the_chinese_message(db, dead_broker):
    with pytest.raises(BrokerUnavailable) as raised:
        enqueue(ping)

    assert str(raised.value) == MESSAGE


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection refused"),
        ConnectionRefusedError(111, "refused"),
        OSError("network unreachable"),
        redis.exceptions.ConnectionError("Error 111 connecting"),
        redis.exceptions.TimeoutError("timed out"),
    ],
    ids=type,
)
def test_every_kind_of_broker_error_becomes_broker_unavailable(error):
    with (
        mock.patch.object(ping, "apply_async", side_effect=error),
        pytest.raises(BrokerUnavailable, match=MESSAGE),
    ):
        enqueue(ping)


def test_export_request_with_a_dead_broker_answers_503_and_fails_the_job(
    transactional_db, county, county_admin, client_as, dead_broker
):
    client = client_as(county_admin)

    response = client.post(reverse("exports:export_create"), {"ledger": "orgs"})

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == MESSAGE
    assert job.finished_at is not None


@pytest.mark.parametrize("url_name", ["scoring:recompute", "scoring:quarter_finalize"])
def test_recompute_with_a_dead_broker_answers_a_503_page_and_fails_the_run(
    url_name, transactional_db, county, county_admin, client_as, dead_broker
):
    client = client_as(county_admin)

    with time_machine.travel(datetime.datetime(2025, 5, 20, 10, tzinfo=datetime.UTC), tick=False):
        response = client.post(reverse(url_name), {"quarter": "2025Q1"})

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    run = RankingRun.objects.get()
    assert run.status == RankingRun.Status.FAILED
    assert run.error == MESSAGE
