"""Imports as background jobs (issue 15): progress, polling, idempotency, all-or-nothing, bulk.

The check and the commit are Celery tasks; the suite runs them eagerly (inline). Where a test
needs to see a job waiting for a worker, it turns eager mode off and catches what would be
sent to the broker, then runs the task itself, as the worker would.
"""

import datetime
from io import BytesIO
from types import SimpleNamespace
from unittest import mock

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from core.models import AuditEvent
from exports import tasks
from exports.importing import bulk, commit, reader
from exports.importing import rows as row_rules
from exports.models import ImportJob
from orgs.models import Membership, Person
from tests.clock import frozen_clock
from tests.exports.test_imports import (
    MEMBER_HEADERS,
    ledger_file,
    member_rows,
    snapshot,
    upload,
)
from tests.orgs.factories import OrganizationFactory, PersonFactory, make_id_number


@pytest.fixture(autouse=True)
def imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


def members_file(count: int, organization_name: str, start: int = 0) -> bytes:
    """A members sheet of `count` rows, every resident new, for an existing organisation."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("成员")
    sheet.append(MEMBER_HEADERS)
    joined = datetime.date(2021, 3, 1)
    for n in range(start, start + count):
        birth = datetime.date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
        sheet.append(
            [
                organization_name,
                f"居民{n}",
                make_id_number(n, birth) if n < 1000 else _unique_id(n, birth),
                f"139{n:08d}",
                "会员",
                joined,
                "群众",
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unique_id(n: int, birth: datetime.date) -> str:
    from core.identifiers import id_number_check_char

    first17 = f"99{n // 1000 % 10000:04d}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


class Sent:
    """Stands in for the broker: records the tasks sent instead of running them."""

    def __init__(self):
        self.tasks = []

    def __call__(self, task, *args, **kwargs):
        self.tasks.append((task, args))
        return SimpleNamespace(id=f"task-{len(self.tasks)}")


@pytest.fixture
def broker(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = Sent()
    monkeypatch.setattr(commit, "enqueue", sent)
    return sent


@pytest.fixture
def progress_log(monkeypatch):
    """Every progress update a task records, in order."""
    log = []
    real_update = commit.JobProgress._update
    real_written = commit.JobProgress.written

    def update(self, **fields):
        log.append(fields)
        real_update(self, **fields)

    def written(self, rows):
        log.append({"rows_written": rows})
        real_written(self, rows)

    monkeypatch.setattr(commit.JobProgress, "_update", update)
    monkeypatch.setattr(commit.JobProgress, "written", written)
    monkeypatch.setattr(reader, "PROGRESS_EVERY", 5)
    monkeypatch.setattr(row_rules.members, "PROGRESS_EVERY", 5)
    return log


def test_check_and_commit_run_as_tasks_the_page_polls_and_then_shows_the_result(
    county,
    county_admin,
    client_as,
    broker,
    progress_log,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    organization = OrganizationFactory(community=county.community_a1, name="幸福合唱团")
    monkeypatch.setattr(bulk, "CHUNK_SIZE", 8)
    client = client_as(county_admin)
    # when a 20-row ledger is uploaded with a broker
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:import_upload"),
            {"file": SimpleUploadedFile("成员.xlsx", members_file(20, organization.name))},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    # then its check waits for a worker and the page says so and polls
    assert [(task.name, args) for task, args in broker.tasks] == [
        ("exports.check_import_job", (job.pk,))
    ]
    assert (job.action, job.stage, job.task_id) == ("check", "queued", "task-1")
    page = client.get(reverse("exports:import_detail", kwargs={"pk": job.pk})).content.decode()
    assert 'data-testid="import-progress"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "等待" in page  # 等待后台处理 (the stage, in Chinese)
    assert 'data-testid="import-commit"' not in page
    poll = client.get(
        reverse("exports:import_detail", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert poll.status_code == 200
    assert 'data-testid="import-progress"' in poll.content.decode()

    # when the worker runs the check
    assert tasks.check_import_job(job.pk) == ImportJob.Status.VALIDATED
    # then the rows read and checked moved by steps, and the job is ready
    read = [entry["rows_read"] for entry in progress_log if "rows_read" in entry]
    checked = [entry["rows_checked"] for entry in progress_log if "rows_checked" in entry]
    assert read == [5, 10, 15, 20, 20]
    assert checked == [5, 10, 15, 20, 20]
    assert {"stage": "checking", "rows_total": 20, "rows_read": 20} in progress_log
    job.refresh_from_db()
    assert (job.action, job.stage, job.rows_read, job.rows_checked) == ("", "", 20, 20)
    assert job.can_commit
    # and the next poll reloads the page, which offers the commit
    poll = client.get(
        reverse("exports:import_detail", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert poll.status_code == 204
    assert poll["HX-Refresh"] == "true"
    page = client.get(reverse("exports:import_detail", kwargs={"pk": job.pk})).content.decode()
    assert 'data-testid="import-commit"' in page
    assert 'data-testid="import-progress"' not in page

    # when the user commits: the task is queued, the page polls the writing
    progress_log.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:import_commit", kwargs={"pk": job.pk}), follow=True)
    assert "您可以离开" in response.content.decode()
    assert broker.tasks[-1][0].name == "exports.commit_import_job"
    job.refresh_from_db()
    assert (job.action, job.stage) == ("commit", "queued")
    assert not job.can_commit
    assert Membership.objects.filter(organization=organization).count() == 0
    # a second click while it waits queues nothing more
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:import_commit", kwargs={"pk": job.pk}))
    assert len(broker.tasks) == 2

    assert tasks.commit_import_job(job.pk) == ImportJob.Status.COMMITTED
    written = [entry["rows_written"] for entry in progress_log if "rows_written" in entry]
    assert written == [0, 8, 16, 20]  # stage "writing" resets it, then a chunk at a time
    job.refresh_from_db()
    assert (job.status, job.action, job.rows_written) == ("committed", "", 20)
    assert Membership.objects.filter(organization=organization).count() == 20
    page = client.get(reverse("exports:import_detail", kwargs={"pk": job.pk})).content.decode()
    assert "已导入的内容" in page
    # the task delivered again (a retry) writes nothing twice
    assert tasks.commit_import_job(job.pk) == "skipped"
    assert Membership.objects.filter(organization=organization).count() == 20


def test_committing_twice_writes_once(county, county_admin, client_as):
    client = client_as(county_admin)
    job = upload(county_admin, ledger_file())
    url = reverse("exports:import_commit", kwargs={"pk": job.pk})
    client.post(url)
    after = snapshot()
    # a double click: the second post is refused with a message, nothing written
    response = client.post(url, follow=True)
    assert "已经提交" in response.content.decode()
    assert snapshot() == after
    # a stale copy of the job (read before the first commit) is refused under the row lock
    stale = ImportJob.objects.get(pk=job.pk)
    stale.status = ImportJob.Status.VALIDATED
    with pytest.raises(Exception, match="已经提交"):
        commit.import_job_commit(actor=county_admin, job=stale)
    assert snapshot() == after
    # and a task found running long ago (its worker died) is run again, but writes nothing
    ImportJob.objects.filter(pk=job.pk).update(
        action="commit",
        stage="writing",
        started_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    assert tasks.commit_import_job(job.pk) == ImportJob.Status.COMMITTED
    job.refresh_from_db()
    assert job.action == "" and "已经提交" in job.error
    assert snapshot() == after


def test_a_failure_at_row_15000_of_20000_writes_nothing_and_fails_the_job(
    county, county_admin, monkeypatch
):
    organization = OrganizationFactory(community=county.community_a1, name="幸福合唱团")
    job = upload(county_admin, members_file(20_000, organization.name))
    assert job.errors == [] and job.can_commit
    before = snapshot()
    audits = AuditEvent.objects.count()
    # given a failure while writing the 15,000th member (14,000 were written in 7 chunks)
    real_rules = bulk.people_services.check_person_rules
    calls = {"n": 0}

    def failing_rules(**kwargs):
        calls["n"] += 1
        if calls["n"] == 15_000:
            raise RuntimeError("disk full")
        return real_rules(**kwargs)

    monkeypatch.setattr(bulk.people_services, "check_person_rules", failing_rules)
    ImportJob.objects.filter(pk=job.pk).update(action="commit", stage="queued")
    # when the commit task runs
    assert tasks.commit_import_job(job.pk) == ImportJob.Status.FAILED
    # then no person, membership, history or audit row was written
    assert calls["n"] == 15_000
    assert snapshot() == before  # people, memberships, their history, ledger audit rows
    assert AuditEvent.objects.count() == audits
    # and the job failed with a Chinese message
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.action == ""
    assert "未导入任何数据" in job.error
    assert job.committed_at is None


def test_history_and_audit_rows_for_every_record_written(county, county_admin):
    # given a resident already recorded without a mobile, and a file naming them plus a new
    # resident who joins two organisations
    reused = PersonFactory(name="成员0", id_number=make_id_number(500), mobile="")
    members = member_rows(3)
    members.append(
        ["导入社团2", "成员1", make_id_number(501), "13900130001", "会员", "2019-05-01", "群众"]
    )
    job = upload(county_admin, ledger_file(members=members))
    assert job.errors == []
    commit.import_job_commit(actor=county_admin, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED
    created = Person.objects.filter(name__in=["成员1", "成员2"])
    assert created.count() == 2
    # one "+" history row per created person and membership, by the importer
    for person in created:
        assert [(h.history_type, h.history_user) for h in person.history.all()] == [
            ("+", county_admin)
        ]
    memberships = Membership.objects.filter(person__name__startswith="成员")
    assert memberships.count() == 4
    for membership in memberships:
        assert [(h.history_type, h.history_user) for h in membership.history.all()] == [
            ("+", county_admin)
        ]
    # the reused resident's blank mobile was filled: a "~" row and an audit row, masked
    assert [h.history_type for h in reused.history.all()] == ["~", "+"]
    reused.refresh_from_db()
    assert reused.mobile == "13900130000"
    update = AuditEvent.objects.get(action="person.update", object_id=str(reused.pk))
    assert update.actor == county_admin
    assert update.changes["mobile"] == ["", "139****0000"]
    # one audit row per created person and membership, as the single-row path writes them
    creates = AuditEvent.objects.filter(action="person.create")
    assert sorted(int(e.object_id) for e in creates) == sorted(p.pk for p in created)
    adds = {e.object_id: e for e in AuditEvent.objects.filter(action="membership.add")}
    assert set(adds) == {str(m.pk) for m in memberships}
    twice = Person.objects.get(name="成员1")
    reused_flags = sorted(
        adds[str(m.pk)].changes["reused"] for m in memberships.filter(person=twice)
    )
    assert reused_flags == [False, True]  # the second row found the first row's person
    for membership in memberships:
        event = adds[str(membership.pk)]
        assert event.changes["person"] == membership.person_id
        assert event.changes["role"] == membership.role
        assert event.summary == f"{membership.person.name} → {membership.organization.name}"


def test_the_commit_of_2000_rows_runs_a_bounded_number_of_queries(
    county, county_admin, django_assert_max_num_queries
):
    organization = OrganizationFactory(community=county.community_a1, name="幸福合唱团")
    job = upload(county_admin, members_file(2000, organization.name))
    assert job.can_commit
    # PostgreSQL writes each table in one insert; SQLite splits every insert at 999
    # parameters (2,000 people of 14 columns: 29 inserts), which the bound allows for.
    bound = 60 if connection.vendor == "postgresql" else 160
    with django_assert_max_num_queries(bound):
        commit.import_job_commit(actor=county_admin, job=job)
    assert Membership.objects.filter(organization=organization).count() == 2000


def test_a_dead_broker_fails_the_check_with_the_queue_message(county, county_admin, client_as):
    client = client_as(county_admin)
    # what the Redis transport raises when Redis is down
    with mock.patch(
        "exports.tasks.check_import_job.apply_async",
        side_effect=redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379"),
    ):
        response = client.post(
            reverse("exports:import_upload"),
            {"file": SimpleUploadedFile("台账.xlsx", ledger_file())},
        )
    assert response.status_code == 503
    assert "后台任务队列暂时不可用，请稍后再试" in response.content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.action == ""
    assert job.error == "后台任务队列暂时不可用，请稍后再试"


def test_history_rows_hold_the_record_as_written_by_the_importer_at_the_commit(
    county, county_admin
):
    # given a file of two new members, committed at a known instant
    moment = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    organization = OrganizationFactory(community=county.community_a1, name="幸福合唱团")
    job = upload(county_admin, members_file(2, organization.name))
    with frozen_clock(moment):
        commit.import_job_commit(actor=county_admin, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED
    tracked = ["name", "gender", "id_number", "birth_date", "mobile", "community_id"]
    for person in Person.objects.filter(memberships__organization=organization):
        # then each record has exactly one "+" row, with every value as the record holds it
        (row,) = person.history.all()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            county_admin,
            None,
        )
        assert row.history_date == moment
        assert [getattr(row, name) for name in tracked] == [
            getattr(person, name) for name in tracked
        ]
        assert row.created_at == person.created_at == moment
        membership = person.memberships.get()
        (kept,) = membership.history.all()
        assert (kept.history_type, kept.history_user, kept.history_date) == (
            "+",
            county_admin,
            moment,
        )
        assert (kept.organization_id, kept.person_id, kept.role, kept.joined_on) == (
            organization.pk,
            person.pk,
            membership.role,
            membership.joined_on,
        )
        # and the audit rows are dated the commit too
        events = AuditEvent.objects.filter(object_id__in=[str(person.pk), str(membership.pk)])
        assert {(e.action, e.at, e.actor_id) for e in events} >= {
            ("person.create", moment, county_admin.pk),
            ("membership.add", moment, county_admin.pk),
        }
