"""The import pages and the import_ledger command, end to end."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from exports.importing import headers
from exports.models import ImportJob
from orgs.models import Membership, Organization
from tests.exports.test_imports import bad_file, ledger_file, snapshot


@pytest.fixture(autouse=True)
def private_imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


def post_file(client, content, name="台账.xlsx"):
    return client.post(
        reverse("exports:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def test_upload_preview_and_commit_through_the_pages(county, county_admin, client_as, settings):
    client = client_as(county_admin)
    response = post_file(client, ledger_file())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("exports:import_detail", kwargs={"pk": job.pk})
    # the file is kept in the private directory, not under MEDIA_ROOT
    stored = settings.IMPORTS_ROOT / job.file.name
    assert stored.is_file()
    assert str(settings.MEDIA_ROOT) not in str(stored)
    page = client.get(response.url).content.decode()
    assert "新建10个" in page
    assert 'data-testid="import-commit"' in page
    assert "990101" not in page.split('data-testid="import-preview"')[1]  # IDs masked
    committed = client.post(reverse("exports:import_commit", kwargs={"pk": job.pk}))
    assert committed.status_code == 302
    assert Organization.objects.filter(name__startswith="导入社团").count() == 10
    assert Membership.objects.filter(person__name__startswith="成员").count() == 20
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTED


def test_preview_lists_every_error_and_offers_no_commit(county, county_admin, client_as):
    client = client_as(county_admin)
    before = snapshot()
    post_file(client, bad_file())
    job = ImportJob.objects.get()
    page = client.get(reverse("exports:import_detail", kwargs={"pk": job.pk})).content.decode()
    table = page.split('data-testid="import-errors"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 5  # header + 5 errors
    assert "C 公民身份号码" in table and "请将身份证号列设置为文本格式" in table
    assert 'data-testid="import-commit"' not in page
    response = client.post(reverse("exports:import_commit", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    assert snapshot() == before


def test_refused_upload_says_why_and_stores_nothing(county, county_admin, client_as):
    response = post_file(client_as(county_admin), b"not a workbook", name="台账.xls")
    assert response.status_code == 200
    assert "只能导入 Excel 工作簿" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_mapping_form_on_the_preview(county, county_admin, client_as):
    from tests.exports.test_imports import ORG_HEADERS, org_rows, workbook_bytes

    content = workbook_bytes(
        {"台账": ([*ORG_HEADERS, "活动时间"], [[*row, "每周二"] for row in org_rows(2)])}
    )
    client = client_as(county_admin)
    post_file(client, content)
    job = ImportJob.objects.get()
    url = reverse("exports:import_detail", kwargs={"pk": job.pk})
    page = client.get(url).content.decode()
    assert 'data-testid="import-mapping"' in page and "活动时间" in page
    assert 'data-testid="import-commit"' not in page
    client.post(reverse("exports:import_mapping", kwargs={"pk": job.pk}), {"col_0": "__ignore__"})
    job.refresh_from_db()
    assert job.header_mapping == {"台账": {"I": headers.IGNORE}}
    assert 'data-testid="import-commit"' in client.get(url).content.decode()


def test_template_downloads_with_both_sheets_and_text_identifier_columns(
    county, township_staff, client_as
):
    response = client_as(township_staff).get(reverse("exports:import_template"))
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["社会组织", "成员"]
    member_header = [cell.value for cell in workbook["成员"][1]]
    assert "身份证号" in member_header
    id_column = member_header.index("身份证号") + 1
    assert workbook["成员"].cell(row=2, column=id_column).number_format == "@"


def test_the_template_itself_is_recognised(county, county_admin, client_as):
    client = client_as(county_admin)
    template = client.get(reverse("exports:import_template")).content
    post_file(client, template)
    job = ImportJob.objects.get()
    assert [(s["title"], s["kind"]) for s in job.sheets] == [
        ("社会组织", headers.ORGANIZATIONS),
        ("成员", headers.MEMBERS),
    ]
    assert job.unmapped_columns == []


def test_someone_elses_job_is_not_found(county, county_admin, township_staff, client_as):
    post_file(client_as(county_admin), ledger_file())
    job = ImportJob.objects.get()
    response = client_as(township_staff).get(
        reverse("exports:import_detail", kwargs={"pk": job.pk})
    )
    assert response.status_code == 404


def test_command_reports_errors_in_chinese_and_exits_non_zero(county, county_admin, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(bad_file())
    before = snapshot()
    errors = []
    with pytest.raises(CommandError, match="共 5 处错误"):
        call_command("import_ledger", str(path), stderr=_Collect(errors))
    text = "\n".join(errors)
    assert "成员 第5行 C列（公民身份号码）: " in text
    assert "请将身份证号列设置为文本格式" in text
    assert snapshot() == before


def test_command_dry_run_writes_nothing_then_import_is_idempotent(county, county_admin, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_file())
    before = snapshot()
    out = []
    call_command("import_ledger", str(path), "--dry-run", stdout=_Collect(out))
    assert "检查通过（未写入）" in "".join(out) and "社会组织新建 10" in "".join(out)
    assert snapshot() == before
    call_command("import_ledger", str(path), stdout=_Collect(out))
    after = snapshot()
    assert after["orgs"] == before["orgs"] + 10
    call_command("import_ledger", str(path), stdout=_Collect(out))
    assert snapshot() == after
    assert "社会组织新建 0、更新 0、无变化 10" in out[-1]


def test_command_refuses_a_wrong_file_before_parsing(county, county_admin, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text("a,b")
    with pytest.raises(CommandError, match="只能导入 Excel 工作簿"):
        call_command("import_ledger", str(path))


class _Collect:
    def __init__(self, lines):
        self.lines = lines

    def write(self, text):
        self.lines.append(text)

    def flush(self):
        pass
