"""Tried as a clerk would (issue 15): a township's 20,000-row member ledger through the web page.

A real Celery worker (through Redis, as in tests/integration) checks and commits the file while
the page polls its progress; the clerk sees the rows read and checked, then the members
written, and finally what was imported.
"""

import re
import shutil

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from accounts.roles import Role
from exports.models import ImportJob
from orgs.models import Membership
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.test_ledger_members import log_in
from tests.exports.test_import_jobs import members_file
from tests.integration.conftest import broker_url, celery_worker_process  # noqa: F401
from tests.orgs.factories import OrganizationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

ROWS = 20_000
WAIT = 240_000  # ms: a busy 2-core machine checks 20,000 rows in about a minute


def test_a_township_clerk_imports_20000_members_and_watches_the_progress(
    page,
    live_server,
    county,
    screenshot,
    settings,
    celery_worker_process,  # noqa: F811
    tmp_path,
):
    # the worker keeps uploads where its own settings say: under its process id
    root = django_settings.BASE_DIR / ".test-exports" / f"imports-{celery_worker_process.pid}"
    settings.IMPORTS_ROOT = root
    UserFactory(username="li", name="李秀兰", role=Role.TOWNSHIP_STAFF, township=county.township_a)
    organization = OrganizationFactory(community=county.community_a1, name="幸福志愿者协会")
    ledger = tmp_path / "幸福志愿者协会成员台账.xlsx"
    ledger.write_bytes(members_file(ROWS, organization.name))
    page.set_default_timeout(WAIT)
    try:
        log_in(page, live_server, "li", PASSWORD)
        page.goto(f"{live_server.url}/exports/imports/")
        page.locator("input[type=file]").set_input_files(str(ledger))
        page.get_by_test_id("import-upload").locator("button[type=submit]").click()

        # the check runs in the worker: the page shows how far it got, updating by itself
        expect(page).to_have_url(re.compile(r"/exports/imports/\d+/$"))
        progress = page.get_by_test_id("import-progress")
        expect(progress).to_be_visible()
        expect(progress).to_contain_text(re.compile(r"已读取：[1-9]\d* 行"), timeout=WAIT)
        screenshot("import-20000-checking")
        # then, once checked, the page reloads with the summary and the commit button
        commit_form = page.get_by_test_id("import-commit")
        expect(commit_form).to_be_visible(timeout=WAIT)
        expect(page.get_by_test_id("import-summary")).to_contain_text("新增20000人")
        screenshot("import-20000-checked")

        commit_form.locator("button[type=submit]").click()
        # the commit is queued: the page shows the import at work (it re-reads and re-checks
        # the file first, then writes), polling until it ends
        progress = page.get_by_test_id("import-progress")
        expect(progress).to_contain_text("导入台账")
        expect(page.get_by_test_id("import-commit")).to_have_count(0)
        screenshot("import-20000-importing")
        expect(page.get_by_test_id("import-status")).to_have_text("已导入", timeout=WAIT)
        screenshot("import-20000-committed")
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.COMMITTED
        assert job.rows_written == ROWS
        assert Membership.objects.filter(organization=organization).count() == ROWS
    finally:
        shutil.rmtree(root, ignore_errors=True)
