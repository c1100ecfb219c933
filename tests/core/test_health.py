import pytest
from django.urls import reverse

from registry.celery import app as celery_app


def test_healthz_is_public_and_healthy_in_eager_mode(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "vendor": response.json()["database"]["vendor"]},
        "broker": {"ok": True, "mode": "eager"},
        "workers": {"ok": True, "mode": "eager", "count": 0},
    }


@pytest.fixture
def unreachable_broker(settings):
    """Point Celery at a port where nothing listens, for one test."""
    settings.HEALTHZ_TIMEOUT_SECONDS = 0.5
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    yield
    celery_app.conf.update(**previous)


def test_healthz_answers_503_when_the_broker_is_unreachable(client, db, unreachable_broker):

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["workers"] == {
        "ok": False,
        "mode": "broker",
        "count": 0,
        "error": "broker unavailable",
    }


def test_healthz_answers_503_when_the_database_fails(client, db, monkeypatch):
    from core import health

    def broken_cursor():
        raise RuntimeError("database down")

    with monkeypatch.context() as patch:
        patch.setattr(health.connection, "cursor", broken_cursor)
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["database"] == {
        "ok": False,
        "vendor": response.json()["database"]["vendor"],
        "error": "RuntimeError",
    }
