"""A real headless Chromium (Debian's package) driven by Playwright against a live server.

A missing browser fails the tests: they never skip.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.browser import VIEWPORTS

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

# Playwright's sync API keeps an event loop on this thread for the whole session; the tests'
# own database setup and teardown are synchronous Django code that is safe beside it.
# (Subprocesses that run deploy checks drop this variable again.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under tests/e2e/screenshots (kept as a CI artefact)."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(autouse=True)
def migrated_frequencies(transactional_db):
    """Restore the required frequencies that the data migration seeds.

    A transactional test flushes every table when it ends, rows written by data migrations
    included; a browser test that runs after one would find no required frequency at all.
    """
    from party_branches.models import RequiredFrequency
    from party_branches.rules import DEFAULT_FREQUENCIES

    for kind, (period, count) in DEFAULT_FREQUENCIES.items():
        RequiredFrequency.objects.get_or_create(
            kind=kind, defaults={"period": period, "count": count}
        )


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, page):
    """Run the test at each size users have: "desk" (1366 × 900) and "phone" (390 × 844)."""
    width, height = VIEWPORTS[request.param]
    page.set_viewport_size({"width": width, "height": height})
    return request.param
