from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.tasks import clear_expired_sessions


def test_expired_sessions_are_cleared_and_live_ones_kept(db):
    live = SessionStore()
    live["x"] = 1
    live.create()
    stale = SessionStore()
    stale["x"] = 2
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )

    deleted = clear_expired_sessions.delay().get()

    assert deleted == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_session_clean_up_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]

    assert entry["task"] == "core.clear_expired_sessions"
    assert entry["schedule"].hour == {3}
