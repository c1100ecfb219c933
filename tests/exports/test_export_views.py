"""The export pages: request, progress, download, expiry, broker down, scope."""

import datetime
from unittest import mock
from urllib.parse import unquote

import pytest
import redis.exceptions
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from exports.models import ExportJob
from exports.services import export_file_path, export_jobs_expire
from tests.exports.factories import ExportJobFactory, export_ledger_records

# The job is enqueued on commit, as in production: tests run in real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def request_export(client, **data):
    return client.post(reverse("exports:export_create"), data)


@pytest.mark.parametrize(
    "persona", ["county_admin", "township_staff", "secretary", "official", "org_contact"],
    indirect=True,
)  # fmt: skip
def test_every_role_exports_and_downloads_its_own_file(persona, county, client_as):
    export_ledger_records(county)
    client = client_as(persona)

    response = request_export(client, ledger="orgs")

    job = ExportJob.objects.get(requested_by=persona)
    assert response.status_code == 302
    assert response.url == reverse("exports:export_detail", kwargs={"pk": job.pk})
    assert job.status == ExportJob.Status.SUCCEEDED and job.progress == 100
    assert job.row_count >= 1
    assert export_file_path(job) is not None
    download = client.get(reverse("exports:export_download", kwargs={"pk": job.pk}))
    assert download.status_code == 200
    disposition = unquote(download["Content-Disposition"])
    assert "attachment" in disposition and "社会组织台账" in disposition
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert AuditEvent.objects.filter(action="export.download", actor=persona).count() == 1
    assert AuditEvent.objects.filter(action="export.request", actor=persona).count() == 1


def test_the_file_is_outside_media_and_not_served_as_media(county, county_admin, client_as):
    from django.conf import settings

    client = client_as(county_admin)
    request_export(client, ledger="orgs")
    job = ExportJob.objects.get()

    path = export_file_path(job)

    assert settings.MEDIA_ROOT not in path.parents
    assert str(settings.EXPORTS_ROOT) in str(path)
    assert client.get(f"/{settings.MEDIA_URL}{job.file_path}").status_code == 404


def test_filters_of_the_list_page_are_kept_and_summarised(county, county_admin, client_as):
    export_ledger_records(county)
    client = client_as(county_admin)

    request_export(client, ledger="orgs", township=county.township_b.pk, page="3")

    job = ExportJob.objects.get()
    assert job.filters == {"township": [str(county.township_b.pk)]}
    assert "青山镇" in job.filters_summary
    assert job.row_count == 1


def test_confirmation_page_shows_filters_and_the_row_count(county, county_admin, client_as):
    client = client_as(county_admin)

    response = client.get(
        reverse("exports:export_create"), {"ledger": "orgs", "township": county.township_a.pk}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "城关街道" in page and "约 2 行" in page
    assert f'name="township" value="{county.township_a.pk}"' in page


def test_list_page_offers_the_export_with_its_current_query(county, county_admin, client_as):
    client = client_as(county_admin)

    response = client.get(reverse("orgs:organization_list"), {"township": county.township_b.pk})

    page = response.content.decode()
    assert "导出 Excel" in page
    assert f"ledger=orgs&amp;township={county.township_b.pk}" in page


def test_bad_ledger_or_quarter_is_refused_in_chinese_and_no_job_made(county_admin, client_as):
    client = client_as(county_admin)

    unknown = request_export(client, ledger="everything")
    bad_quarter = request_export(client, ledger="ranking", quarter="2026Q9")

    assert "未知的台账类型" in unknown.content.decode()
    assert "季度格式应为 2026Q3" in bad_quarter.content.decode()
    assert not ExportJob.objects.exists()


def test_broker_down_answers_try_again_later_without_a_500(county, county_admin, client_as):
    client = client_as(county_admin)
    # What the Redis transport raises when Redis is down (not a kombu OperationalError).
    with mock.patch(
        "exports.tasks.run_export_job.apply_async",
        side_effect=redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379"),
    ):
        response = request_export(client, ledger="orgs")

    assert response.status_code == 503
    assert "后台任务队列暂时不可用，请稍后再试" in response.content.decode()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED


def test_another_users_job_and_file_answer_404(county, county_admin, township_staff, client_as):
    client_as(county_admin)
    other = client_as(township_staff)
    request_export(client_as(county_admin), ledger="orgs")
    job = ExportJob.objects.get()

    other = client_as(township_staff)

    assert other.get(reverse("exports:export_detail", kwargs={"pk": job.pk})).status_code == 404
    download = other.get(reverse("exports:export_download", kwargs={"pk": job.pk}))
    assert download.status_code == 404


def test_a_file_is_not_served_once_the_users_area_changed(county, township_staff, client_as):
    client = client_as(township_staff)
    request_export(client, ledger="orgs")
    job = ExportJob.objects.get()
    township_staff.township = county.township_b
    township_staff.save()

    client = client_as(township_staff)
    response = client.get(reverse("exports:export_download", kwargs={"pk": job.pk}))

    assert response.status_code == 404


def test_expired_export_answers_410_and_the_sweeper_deletes_its_file(
    county, county_admin, client_as
):
    client = client_as(county_admin)
    request_export(client, ledger="orgs")
    job = ExportJob.objects.get()
    path = export_file_path(job)
    ExportJob.objects.filter(pk=job.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    gone = client.get(reverse("exports:export_download", kwargs={"pk": job.pk}))
    swept = export_jobs_expire()

    assert gone.status_code == 410
    assert "已过期" in gone.content.decode() and "72 小时" in gone.content.decode()
    assert swept == 1 and not path.exists()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED
    again = client.get(reverse("exports:export_download", kwargs={"pk": job.pk}))
    assert again.status_code == 410


def test_retention_is_counted_from_the_settings(county, county_admin, client_as, settings):
    settings.EXPORT_RETENTION_HOURS = 5
    request_export(client_as(county_admin), ledger="orgs")

    job = ExportJob.objects.get()

    remaining = job.expires_at - timezone.now()
    assert datetime.timedelta(hours=4, minutes=59) < remaining <= datetime.timedelta(hours=5)


def test_expiry_is_scheduled_in_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "exports.expire_export_jobs" in tasks


def test_official_may_post_an_export_but_nothing_else(county, official, client_as):
    client = client_as(official)

    created = request_export(client, ledger="members")
    put = client.put(reverse("exports:export_create"))
    job = ExportJob.objects.get()
    detail_post = client.post(reverse("exports:export_detail", kwargs={"pk": job.pk}))

    assert created.status_code == 302
    assert put.status_code == 403
    assert detail_post.status_code == 403
    assert job.status == ExportJob.Status.SUCCEEDED and not job.reveal


def test_export_request_needs_csrf(county, county_admin):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(county_admin)

    response = client.post(reverse("exports:export_create"), {"ledger": "orgs"})

    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_progress_fragment_polls_while_running_and_stops_when_done(county_admin, client_as):
    client = client_as(county_admin)
    running = ExportJobFactory(
        requested_by=county_admin, status=ExportJob.Status.RUNNING, progress=40, row_count=800
    )
    done = ExportJobFactory(requested_by=county_admin, status=ExportJob.Status.FAILED, error="x")

    polling = client.get(
        reverse("exports:export_detail", kwargs={"pk": running.pk}), HTTP_HX_REQUEST="true"
    ).content.decode()
    finished = client.get(
        reverse("exports:export_detail", kwargs={"pk": done.pk}), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert 'hx-trigger="every 1s"' in polling and "40%" in polling
    assert "hx-trigger" not in finished


def test_export_list_runs_a_bounded_number_of_queries(
    county_admin, client_as, django_assert_max_num_queries
):
    client = client_as(county_admin)
    for index in range(40):
        ExportJobFactory(requested_by=county_admin, row_count=index)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("exports:export_list"))

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="download"') == 0


def test_a_job_already_running_is_not_run_twice(county, county_admin):
    from exports.services import export_job_run

    job = ExportJobFactory(
        requested_by=county_admin, status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )

    assert export_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING
