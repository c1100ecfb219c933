"""Shared fixtures: a small county with two townships, and one persona per role.

Township A holds communities A1 and A2, township B holds B1. Every persona of a local role
works in A (township staff) or A1 (secretary, org contact); B and A2 are out of their scope.
"""

import io
import logging
from types import SimpleNamespace

import pytest

from accounts.roles import Role
from core.logging import JsonFormatter
from core.masking import ID_NUMBER_RE
from tests.accounts.factories import UserFactory
from tests.areas.factories import CommunityFactory, TownshipFactory
from tests.orgs.factories import OrganizationFactory

ROLES = ("county_admin", "township_staff", "secretary", "official", "org_contact")


@pytest.fixture
def county(db):
    township_a = TownshipFactory(name="城关街道", code="990101001")
    township_b = TownshipFactory(name="青山镇", code="990101002", kind="township")
    community_a1 = CommunityFactory(township=township_a, name="幸福社区", code="990101001001")
    community_a2 = CommunityFactory(township=township_a, name="和平社区", code="990101001002")
    community_b1 = CommunityFactory(
        township=township_b, name="王家村", code="990101002001", kind="village"
    )
    return SimpleNamespace(
        county=township_a.county,
        township_a=township_a,
        township_b=township_b,
        community_a1=community_a1,
        community_a2=community_a2,
        community_b1=community_b1,
        org_a1=OrganizationFactory(name="幸福社区书画协会", community=community_a1),
        org_a2=OrganizationFactory(name="和平社区广场舞队", community=community_a2),
        org_b1=OrganizationFactory(name="王家村秧歌队", community=community_b1),
    )


@pytest.fixture
def county_admin(county):
    return UserFactory(
        username="county_admin", name="县管理员", role=Role.COUNTY_ADMIN, county=county.county
    )


@pytest.fixture
def township_staff(county):
    return UserFactory(
        username="township_staff",
        name="街道干部",
        role=Role.TOWNSHIP_STAFF,
        township=county.township_a,
    )


@pytest.fixture
def secretary(county):
    return UserFactory(
        username="secretary", name="社区书记", role=Role.SECRETARY, community=county.community_a1
    )


@pytest.fixture
def official(county):
    return UserFactory(username="official", name="县领导", role=Role.OFFICIAL, county=county.county)


@pytest.fixture
def org_contact(county):
    return UserFactory(
        username="org_contact", name="社团联络人", role=Role.ORG_CONTACT, organization=county.org_a1
    )


@pytest.fixture
def persona(request, county):
    """The persona named by indirect parametrisation: `@pytest.mark.parametrize("persona", ...)`."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def client_as(client):
    """Log the test client in as the given user and return it."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: rate limits and API throttles count in it."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


class SuiteLogScan:
    """Everything the suite logs, formatted and filtered as production formats it (stdout)."""

    def __init__(self):
        self.stream = io.StringIO()
        self.handler = None

    def install(self):
        configured = next(
            (h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)),
            None,
        )
        if configured is None:
            raise RuntimeError("The JSON stdout handler of settings.LOGGING is not installed.")
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(configured.formatter)
        for log_filter in configured.filters:
            self.handler.addFilter(log_filter)
        self.handler.setLevel(logging.DEBUG)
        logging.getLogger().addHandler(self.handler)

    def full_id_numbers(self) -> list[str]:
        return ID_NUMBER_RE.findall(self.stream.getvalue())


LOG_SCAN = SuiteLogScan()


# REGISTRY_TEST_NOW=2026-04-01T00:30 runs the whole session at that clock (local time, Asia/
# Shanghai, unless an offset is given), ticking from there: scripts/test-clocks runs the
# time-sensitive modules at the hours where the calendar turns. Tests that pin their own time
# (time_machine.travel) still do.
TEST_NOW_ENV = "REGISTRY_TEST_NOW"
_CLOCK = None


def session_clock(value: str):
    """The aware datetime REGISTRY_TEST_NOW names (naive values are Shanghai local time)."""
    import datetime
    import zoneinfo

    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    return moment


def pytest_sessionstart(session):
    global _CLOCK
    import os

    LOG_SCAN.install()
    value = os.environ.get(TEST_NOW_ENV, "").strip()
    if value:
        import time_machine

        _CLOCK = time_machine.travel(session_clock(value), tick=True)
        _CLOCK.start()


def pytest_runtest_setup(item):
    # Some tests reconfigure logging (dictConfig drops the root's handlers): put it back.
    root = logging.getLogger()
    if LOG_SCAN.handler is not None and LOG_SCAN.handler not in root.handlers:
        root.addHandler(LOG_SCAN.handler)


# Under pytest-xdist each worker process scans its own logs and sends its counts back to the
# controller (xdist's workeroutput), which adds them up and fails the run on a leak.
_WORKER_SCANS: list[dict] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    scan = getattr(node, "workeroutput", {}).get("log_scan")
    if scan is not None:
        _WORKER_SCANS.append(scan)


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when any log line of the whole suite holds a full ID number."""
    if _CLOCK is not None:
        _CLOCK.stop()
    leaked = LOG_SCAN.full_id_numbers()
    lines = LOG_SCAN.stream.getvalue().count("\n")
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports
        workeroutput["log_scan"] = {
            "lines": lines,
            "leaked": len(leaked),
            "example": leaked[0][:3] if leaked else "",
        }
        return
    for scan in _WORKER_SCANS:
        lines += scan["lines"]
        leaked += [scan["example"]] * scan["leaked"]
    if leaked:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(
            f"\nLOG LEAK: {len(leaked)} full ID number(s) reached the logs, e.g. {leaked[0][:3]}…"
        )
    else:
        workers = f" in {len(_WORKER_SCANS)} workers" if _WORKER_SCANS else ""
        print(f"\nlog scan: {lines} log lines of the suite{workers}, no full ID number")


def pytest_collection_modifyitems(config, items):
    """Leave PostgreSQL-only tests out of the SQLite pass (CI runs both passes)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    selected = [item for item in items if "postgresql_only" not in item.keywords]
    deselected = [item for item in items if "postgresql_only" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def pytest_report_header(config):
    """Say which database and broker this run uses, so CI output shows both runs apart."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    import os

    broker = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    lines = [f"registry: database={engine}, integration broker={broker}"]
    if os.environ.get(TEST_NOW_ENV, "").strip():
        clock = session_clock(os.environ[TEST_NOW_ENV].strip())
        lines.append(f"registry: clock {clock.isoformat()} ({TEST_NOW_ENV}), ticking")
    return lines
