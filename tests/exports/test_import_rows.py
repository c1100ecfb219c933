"""Row rules of the import: formulas, numeric IDs, dates, headers in a township's own layout."""

import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook

from exports.importing import commit, headers
from exports.importing.values import parse_date_text
from exports.models import ImportJob
from orgs.models import Membership, Organization
from tests.exports.test_imports import (
    MEMBER_HEADERS,
    ORG_HEADERS,
    credit_code,
    ledger_file,
    member_rows,
    org_rows,
    upload,
    workbook_bytes,
)
from tests.orgs.factories import make_id_number


@pytest.fixture(autouse=True)
def private_imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


@pytest.mark.parametrize(
    "text",
    [
        "2023.5.1",
        "2023-05-01",
        "2023/5/1",
        "2023年5月1日",
        "2023年05月01号",
        "20230501",
        "２０２３－０５－０１",
        "2023-05-01 00:00:00",
        "2023 . 5 . 1",
    ],
)
def test_common_chinese_date_spellings_are_read(text):
    assert parse_date_text(text) == datetime.date(2023, 5, 1)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2023.2.30", "不是日期"),
        ("五月一日", "不是日期"),
        ("2023年5月", "不是日期"),
        (-3, "不是日期"),
    ],
)
def test_impossible_dates_are_refused(county, county_admin, value, fragment):
    orgs = org_rows(1)
    orgs[0][5] = value
    job = upload(county_admin, ledger_file(orgs, []))
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "F")]
    assert fragment in job.errors[0]["message"]


def _with_formula(cell_ref: str, formula: str, cached_rows=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "社会组织"
    sheet.append(ORG_HEADERS)
    for row in cached_rows or org_rows(2):
        sheet.append(row)
    sheet[cell_ref] = formula
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("cell", "formula", "column"),
    [
        ("B2", '="导入"&"社团0"', "B"),
        ("C3", '=UPPER("x")', "C"),
        ("F2", "=DATE(2019,5,1)", "F"),
        ("H2", "=13800130000", "H"),
    ],
)
def test_formula_cells_are_refused_not_evaluated(county, county_admin, cell, formula, column):
    job = upload(county_admin, _with_formula(cell, formula))
    assert [(e["row"], e["column"]) for e in job.errors] == [(int(cell[1:]), column)]
    assert "公式" in job.errors[0]["message"]
    assert not job.can_commit


def test_numeric_id_is_refused_even_when_digits_survived(county, county_admin):
    members = member_rows(1)
    members[0][2] = 110105194912310021  # an int keeps all digits in Python, Excel would not
    job = upload(county_admin, ledger_file(org_rows(10), members))
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("成员", 2, "C")]
    assert "请将身份证号列设置为文本格式" in job.errors[0]["message"]


def test_id_typed_as_scientific_text_is_refused(county, county_admin):
    members = member_rows(1)
    members[0][2] = "1.10105E+17"
    job = upload(county_admin, ledger_file(org_rows(10), members))
    assert "请将身份证号列设置为文本格式" in job.errors[0]["message"]


def test_full_width_and_lower_case_identifiers_are_normalised(county, county_admin):
    orgs = org_rows(1)
    orgs[0][2] = orgs[0][2].lower().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    orgs[0][7] = "+86 138-0013-0000"
    members = member_rows(1)
    members[0][2] = members[0][2][:-1] + members[0][2][-1].lower()
    job = upload(county_admin, ledger_file(orgs, members))
    assert job.errors == []
    commit.import_job_commit(actor=county_admin, job=job)
    organization = Organization.objects.get(name="导入社团0")
    assert organization.credit_code == credit_code(100)
    assert organization.leader_phone == "13800130000"


def test_township_layout_with_title_rows_and_synonyms_is_recognised(county, county_admin):
    # given a township's own single-sheet member ledger, with a merged title and a group header
    content = workbook_bytes(
        {
            "Sheet1": (
                [
                    "序号",
                    "组织名称",
                    "成员姓名",
                    "公民身份号码",
                    "联系电话",
                    "担任职务",
                    "入会时间",
                ],
                [
                    [
                        1,
                        "幸福社区书画协会",
                        "张三",
                        make_id_number(7),
                        "13900139000",
                        "会长",
                        "2020年3月1日",
                    ]
                ],
            )
        },
        title_rows={"Sheet1": [["城关街道社会组织成员台账"], ["", "组织", "成员信息"]]},
    )
    # when it is uploaded
    job = upload(county_admin, content)
    # then the header row is found under the titles and every column is recognised
    assert job.errors == []
    sheet = job.sheets[0]
    assert (sheet["kind"], sheet["header_row"]) == (headers.MEMBERS, 3)
    assert job.unmapped_columns == []
    commit.import_job_commit(actor=county_admin, job=job)
    membership = Membership.objects.get(person__name="张三")
    assert membership.organization == county.org_a1
    assert membership.role == Membership.Role.LEADER
    assert membership.joined_on == datetime.date(2020, 3, 1)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("社团名称", "name"),
        ("组织名称", "name"),
        ("名称", "name"),
        ("法定代表人", "leader_name"),
        ("负责人", "leader_name"),
        ("手机号码", "leader_phone"),
        ("联系电话", "leader_phone"),
        ("所属社区（村）*", "community"),
        (" 成立 日期 ", "founded_on"),
        ("统一社会信用代码(必填)", "credit_code"),
    ],
)
def test_organisation_header_synonyms(header, field):
    assert headers.field_for(headers.ORGANIZATIONS, header) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("身份证号", "id_number"),
        ("公民身份号码", "id_number"),
        ("身份证号码", "id_number"),
        ("手机号码", "mobile"),
        ("联系电话", "mobile"),
        ("姓名", "name"),
        ("所属社团", "organization"),
    ],
)
def test_member_header_synonyms(header, field):
    assert headers.field_for(headers.MEMBERS, header) == field


def test_unrecognised_columns_block_the_commit_until_mapped(county, county_admin):
    # given a sheet with a column the importer does not know
    rows = [[*row, "每周二"] for row in org_rows(2)]
    rows[0][6] = ""
    content = workbook_bytes(
        {
            "台账": (
                [*ORG_HEADERS[:6], "牵头人", "联系电话", "活动时间"],
                [[*r[:6], "李四", *r[7:]] for r in rows],
            )
        }
    )
    job = upload(county_admin, content)
    # then both unknown columns wait for the user's choice and the commit is not offered
    assert {c["header"] for c in job.unmapped_columns} == {"牵头人", "活动时间"}
    assert job.errors == []
    assert not job.can_commit
    # when the user maps one to the leader and ignores the other
    job = commit.import_job_set_mapping(
        actor=county_admin, job=job, mapping={"台账": {"G": "leader_name", "I": headers.IGNORE}}
    )
    # then the file is checked again with the mapping and can be committed
    assert job.unmapped_columns == []
    assert job.can_commit
    commit.import_job_commit(actor=county_admin, job=job)
    assert Organization.objects.get(name="导入社团0").leader_name == "李四"


def test_members_refer_to_an_organisation_by_credit_code(county, county_admin):
    county.org_b1.credit_code = credit_code(900)
    county.org_b1.save()
    content = workbook_bytes(
        {
            "成员": (
                ["所属社会组织", "统一社会信用代码", "姓名", "身份证号", "加入日期"],
                [["", credit_code(900), "王五", make_id_number(9), "2021/6/1"]],
            )
        }
    )
    job = upload(county_admin, content)
    assert job.errors == []
    commit.import_job_commit(actor=county_admin, job=job)
    assert Membership.objects.get(person__name="王五").organization == county.org_b1


def test_duplicate_organisation_rows_are_refused(county, county_admin):
    orgs = org_rows(3)
    orgs[2] = list(orgs[0])
    job = upload(county_admin, ledger_file(orgs, []))
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "C")]
    assert "第3行" in job.errors[0]["message"]


def test_credit_code_of_another_ledger_organisation_is_refused(county, county_admin):
    county.org_a1.credit_code = credit_code(100)
    county.org_a1.save()
    orgs = org_rows(1)
    orgs[0][1] = "另一个名字的社团"
    orgs[0][3] = "和平社区"
    # matched by credit code: the import updates org A1's name and community
    job = upload(county_admin, ledger_file(orgs, []))
    assert job.summary["organizations"]["update"] == 1
    assert job.preview[0]["action"] == "update"


def test_a_file_without_recognisable_headers_is_refused(county, county_admin):
    job = upload(county_admin, workbook_bytes({"Sheet1": (["a", "b"], [[1, 2]])}))
    assert job.status == ImportJob.Status.FAILED
    assert "没有找到能识别表头的工作表" in job.errors[0]["message"]


def test_missing_required_column_is_a_file_error(county, county_admin):
    content = workbook_bytes({"成员": (MEMBER_HEADERS[:5], [r[:5] for r in member_rows(2)])})
    job = upload(county_admin, content)
    assert any("缺少“加入日期”列" in e["message"] for e in job.errors)
