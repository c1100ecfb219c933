"""An import is checked and committed by a real worker process, through Redis (issue 15)."""

import shutil
import time

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from exports.importing import commit
from exports.models import ImportJob
from orgs.models import Membership
from tests.exports.test_import_jobs import members_file
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.integration


def wait_until_idle(job: ImportJob, seconds: float = 60) -> ImportJob:
    deadline = time.monotonic() + seconds
    job.refresh_from_db()
    while job.is_active and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    return job


def test_a_ledger_is_checked_and_committed_by_the_worker(
    celery_worker_process, county, county_admin, settings
):
    # the worker keeps uploads where its own settings say: under its process id
    root = django_settings.BASE_DIR / ".test-exports" / f"imports-{celery_worker_process.pid}"
    settings.IMPORTS_ROOT = root
    organization = OrganizationFactory(community=county.community_a1, name="幸福合唱团")
    try:
        # when a 300-row ledger is uploaded: the check goes to the worker
        job = commit.import_job_create(
            actor=county_admin,
            upload=SimpleUploadedFile("成员.xlsx", members_file(300, organization.name)),
        )
        job = wait_until_idle(job)
        assert job.status == ImportJob.Status.VALIDATED, job.error
        assert job.task_id
        assert (job.rows_read, job.rows_checked) == (300, 300)
        assert job.can_commit

        # when it is committed (twice: a double click)
        job = commit.import_job_start(actor=county_admin, job=job, action="commit")
        try:  # refused once the worker has committed it; otherwise it queues nothing more
            commit.import_job_start(actor=county_admin, job=job, action="commit")
        except ValidationError as error:
            assert "已经提交" in " ".join(error.messages)
        job = wait_until_idle(job)

        # then the worker wrote every member once
        assert job.status == ImportJob.Status.COMMITTED, job.error
        assert job.rows_written == 300
        assert Membership.objects.filter(organization=organization).count() == 300
    finally:
        shutil.rmtree(root, ignore_errors=True)
