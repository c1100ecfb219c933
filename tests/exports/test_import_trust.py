"""Issue 13, imports: every error in one pass, leaders' ID numbers, gender warnings, other
offices' headers and values, mapping that overrides any column, refused files deleted."""

import datetime
import zipfile
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from core.identifiers import (
    ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE,
    ID_NUMBER_CHECKSUM_MESSAGE,
    id_number_check_char,
)
from core.models import AuditEvent
from exports.importing import commit, headers
from exports.models import ImportJob
from orgs.models import Membership, Organization, Person
from tests.exports.test_import_views import _Collect
from tests.exports.test_imports import (
    MEMBER_HEADERS,
    ORG_HEADERS,
    ledger_file,
    member_rows,
    org_rows,
    upload,
    workbook_bytes,
)
from tests.orgs.factories import CategoryFactory, PersonFactory, make_id_number

# Validation reads today's date (joining dates, birth dates in ID numbers): a fixed clock.
TODAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def private_imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


def stored_files(settings) -> list:
    root = settings.IMPORTS_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def male_id(n: int) -> str:
    """A valid ID number whose 17th digit is odd (male)."""
    first17 = f"990101196005010{n % 10}1"
    return first17 + id_number_check_char(first17)


def female_id(n: int) -> str:
    first17 = f"990101196005010{n % 10}2"
    return first17 + id_number_check_char(first17)


def wrong_check_digit(id_number: str) -> str:
    return id_number[:17] + ("0" if id_number[17] != "0" else "1")


# --- item 8: one preview lists every error of the file ---


def test_one_preview_lists_every_error_of_the_file(county, county_admin):
    # given a ledger whose errors of every kind are spread over its rows, the first rows bad
    PersonFactory(name="别人", id_number=make_id_number(520), community=county.community_a1)
    Membership.objects.create(
        organization=county.org_a1,
        person=PersonFactory(name="老会员", id_number=make_id_number(530)),
        joined_on=datetime.date(2016, 1, 1),
    )
    orgs = org_rows(10)
    orgs[0][2] = wrong_check_digit(orgs[0][2])  # row 3: credit code check digit
    orgs[1][5] = "2019年13月1日"  # row 4: no 13th month
    orgs[2][3] = "不存在社区"  # row 5: unknown community
    orgs[3][4] = "不存在的类别"  # row 6: unknown category
    orgs[9] = list(orgs[8])  # row 12: the organisation of row 11 again
    members = member_rows(10)
    members[0][2] = int(members[0][2][:17]) * 10  # row 2: ID typed as a number
    members[1][3] = "1390013000"  # row 3: a mobile of 10 digits
    members[2] = list(members[3])  # rows 4 and 5: the same member twice
    members[4][5] = "2010-01-01"  # row 6: joined before 导入社团4 was founded (2019)
    members[5][1] = "成员甲"  # row 7: the ID of 别人 in the ledger
    members[5][2] = make_id_number(520)
    members[6][1] = "成员乙"  # row 8: the ID number of row 9 under another name
    members[6][2] = make_id_number(540)
    members[7][1] = "成员丙"  # row 9
    members[7][2] = make_id_number(540)
    members[8][0] = "没有这个社团"  # row 10: unknown organisation
    members[9] = ["幸福社区书画协会", "老会员", make_id_number(530), "", "会员", "2016-1-1", ""]
    # when it is uploaded once
    job = upload(county_admin, ledger_file(orgs, members))
    # then the one preview lists every error, by sheet, row and column
    found = {(e["sheet"], e["row"], e["column"]) for e in job.errors}
    assert found == {
        ("社会组织", 3, "C"),
        ("社会组织", 4, "F"),
        ("社会组织", 5, "D"),
        ("社会组织", 6, "E"),
        ("社会组织", 12, "C"),
        ("成员", 2, "C"),
        ("成员", 3, "D"),
        ("成员", 5, "C"),
        ("成员", 6, "F"),
        ("成员", 7, "B"),
        ("成员", 9, "B"),
        ("成员", 10, "A"),
    }
    messages = {(e["sheet"], e["row"]): e["message"] for e in job.errors}
    assert "第11行" in messages[("社会组织", 12)]
    assert "第4行" in messages[("成员", 5)]
    assert "不能早于该社会组织的成立" in messages[("成员", 6)]
    assert "别人" in messages[("成员", 7)]
    assert "第8行" in messages[("成员", 9)]
    # and the resident already a member is recognised as such, after all those errors
    rows = {(entry["sheet"], entry["row"]): entry for entry in job.preview}
    assert rows[("成员", 11)]["action"] == "unchanged"
    assert not job.can_commit


def test_rows_are_checked_even_when_a_required_column_is_missing(county, county_admin):
    members = [["幸福社区书画协会", *row[1:5]] for row in member_rows(3)]
    members[2][3] = "12345"
    job = upload(county_admin, workbook_bytes({"成员": (MEMBER_HEADERS[:5], members)}))
    assert {(e["row"], e["column"]) for e in job.errors} == {(None, ""), (4, "D")}


# --- item 9: the leader's ID number ---


@pytest.mark.parametrize(
    "header",
    [
        "负责人身份证号",
        "负责人身份证号码",
        "负责人公民身份号码",
        "法定代表人身份证号",
        "法人身份证号",
        "法定代表人（负责人）身份证号",
        "公民身份号码",
        "身份证号",
    ],
)
def test_leader_id_number_headers(header):
    assert headers.field_for(headers.ORGANIZATIONS, header) == "leader_id_number"


def leader_ledger(rows, header="负责人身份证号") -> bytes:
    return workbook_bytes(
        {
            "社会组织": (
                ["社会组织名称", "所属社区", "成立日期", "负责人", header],
                rows,
            )
        }
    )


def test_leader_is_recorded_as_a_person_with_a_leader_membership(county, county_admin):
    # given an organisations sheet naming each leader with their ID number
    content = leader_ledger(
        [
            ["平安巡逻队", "幸福社区", "2018-04-01", "赵大", male_id(1)],
            ["夕阳红合唱团", "和平社区", "2020-09-01", "钱二", female_id(2)],
        ]
    )
    job = upload(county_admin, content)
    assert job.errors == []
    assert job.summary["members"]["create"] == 2
    # when it is committed
    commit.import_job_commit(actor=county_admin, job=job)
    # then each leader is a person, with gender and birth date from the ID number, and leads
    leader = Person.objects.get(id_number=male_id(1))
    assert (leader.name, leader.gender) == ("赵大", Person.Gender.MALE)
    assert leader.birth_date == datetime.date(1960, 5, 1)
    membership = Membership.objects.get(person=leader)
    assert membership.organization.name == "平安巡逻队"
    assert membership.role == Membership.Role.LEADER
    assert membership.joined_on == datetime.date(2018, 4, 1)
    # through the services: history and audit rows written
    assert leader.history.count() == 1 and membership.history.count() == 1
    assert AuditEvent.objects.filter(action="membership.add").count() == 2
    # and importing the same file again changes nothing
    again = upload(county_admin, content)
    assert again.summary["members"] == {"create": 0, "update": 0, "unchanged": 2}
    commit.import_job_commit(actor=county_admin, job=again)
    assert Membership.objects.filter(role=Membership.Role.LEADER).count() == 2


def test_leader_of_an_existing_resident_is_deduplicated_by_id_number(county, county_admin):
    resident = PersonFactory(name="赵大", id_number=male_id(1))
    job = upload(
        county_admin, leader_ledger([["平安巡逻队", "幸福社区", "2018-4-1", "赵大", male_id(1)]])
    )
    assert job.errors == []
    commit.import_job_commit(actor=county_admin, job=job)
    assert Person.objects.filter(id_number=male_id(1)).count() == 1
    assert resident.memberships.get().role == Membership.Role.LEADER


def test_leader_name_must_agree_with_the_resident_of_that_id_number(county, county_admin):
    PersonFactory(name="别人", id_number=male_id(1), community=county.community_a1)
    job = upload(
        county_admin, leader_ledger([["平安巡逻队", "幸福社区", "2018-4-1", "赵大", male_id(1)]])
    )
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "D")]
    assert "别人" in job.errors[0]["message"]


def test_three_kinds_of_bad_leader_id_are_refused(county, county_admin):
    born_tomorrow = "99010120260616002"
    born_tomorrow += id_number_check_char(born_tomorrow)
    job = upload(
        county_admin,
        leader_ledger(
            [
                ["平安巡逻队", "幸福社区", "2018-4-1", "赵大", int(male_id(1)[:17]) * 10],
                ["夕阳红合唱团", "幸福社区", "2018-4-1", "钱二", wrong_check_digit(female_id(2))],
                ["少儿书法班", "幸福社区", "2018-4-1", "孙三", born_tomorrow],
            ]
        ),
    )
    assert [(e["row"], e["column"], e["header"]) for e in job.errors] == [
        (2, "E", "负责人身份证号"),
        (3, "E", "负责人身份证号"),
        (4, "E", "负责人身份证号"),
    ]
    assert "请将身份证号列设置为文本格式" in job.errors[0]["message"]
    assert job.errors[1]["message"] == ID_NUMBER_CHECKSUM_MESSAGE
    assert job.errors[2]["message"] == ID_NUMBER_BIRTH_DATE_FUTURE_MESSAGE


def test_an_id_number_alone_in_an_organisations_sheet_is_the_leaders(county, county_admin):
    job = upload(
        county_admin,
        leader_ledger([["平安巡逻队", "幸福社区", "2018-4-1", "赵大", male_id(1)]], "公民身份号码"),
    )
    assert job.unmapped_columns == []
    commit.import_job_commit(actor=county_admin, job=job)
    assert Person.objects.get(id_number=male_id(1)).memberships.get().role == "leader"


def test_leader_listed_in_the_members_sheet_too_is_one_membership(county, county_admin):
    orgs = [["平安巡逻队", "幸福社区", "2018-04-01", "赵大", male_id(1)]]
    members = [["平安巡逻队", "赵大", male_id(1), "", "队长", "2018-05-01", ""]]
    content = workbook_bytes(
        {
            "社会组织": (
                ["社会组织名称", "所属社区", "成立日期", "负责人", "负责人身份证号"],
                orgs,
            ),
            "成员": (MEMBER_HEADERS, members),
        }
    )
    job = upload(county_admin, content)
    assert job.errors == []
    commit.import_job_commit(actor=county_admin, job=job)
    membership = Membership.objects.get(person__id_number=male_id(1))
    assert membership.joined_on == datetime.date(2018, 5, 1)  # as the members sheet says


def test_leader_and_member_with_one_id_number_under_two_names_are_refused(county, county_admin):
    orgs = [["平安巡逻队", "幸福社区", "2018-04-01", "赵大", male_id(1)]]
    members = [["平安巡逻队", "赵小", male_id(1), "", "会员", "2018-05-01", ""]]
    content = workbook_bytes(
        {
            "社会组织": (
                ["社会组织名称", "所属社区", "成立日期", "负责人", "负责人身份证号"],
                orgs,
            ),
            "成员": (MEMBER_HEADERS, members),
        }
    )
    job = upload(county_admin, content)
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("社会组织", 2, "D")]


# --- item 10: a gender that disagrees with the ID number ---


def test_gender_disagreeing_with_the_id_number_is_a_warning_not_an_error(
    county, county_admin, client_as
):
    # given a member typed as 女 whose ID number says male
    content = workbook_bytes(
        {
            "成员": (
                ["所属社会组织", "姓名", "性别", "身份证号", "加入日期"],
                [
                    ["幸福社区书画协会", "周五", "女", male_id(5), "2020-1-1"],
                    ["幸福社区书画协会", "吴六", "女", female_id(6), "2020-1-1"],
                ],
            )
        }
    )
    client = client_as(county_admin)
    client.post(
        reverse("exports:import_upload"), {"file": SimpleUploadedFile("台账.xlsx", content)}
    )
    job = ImportJob.objects.get()
    # then nothing blocks the commit, and the preview warns by row and column, in Chinese
    assert job.errors == []
    assert [(w["sheet"], w["row"], w["column"], w["header"]) for w in job.warnings] == [
        ("成员", 2, "C", "性别")
    ]
    assert job.warnings[0]["message"] == "性别与身份证号不符：已按身份证号记为男。"
    assert job.can_commit
    page = client.get(reverse("exports:import_detail", kwargs={"pk": job.pk})).content.decode()
    table = page.split('data-testid="import-warnings"')[1].split("</table>")[0]
    assert "性别与身份证号不符：已按身份证号记为男。" in table and "C 性别" in table
    assert 'data-testid="import-commit"' in page
    # and the commit takes the gender from the ID number
    client.post(reverse("exports:import_commit", kwargs={"pk": job.pk}))
    assert Person.objects.get(name="周五").gender == Person.Gender.MALE
    assert Person.objects.get(name="吴六").gender == Person.Gender.FEMALE


def test_the_command_shows_gender_warnings_and_imports(county, county_admin, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(
        workbook_bytes(
            {
                "成员": (
                    ["所属社会组织", "姓名", "性别", "身份证号", "加入日期"],
                    [["幸福社区书画协会", "周五", "女", male_id(5), "2020-1-1"]],
                )
            }
        )
    )
    errors, out = [], []
    call_command("import_ledger", str(path), stdout=_Collect(out), stderr=_Collect(errors))
    assert "提示：成员 第2行 C列（性别）: 性别与身份证号不符：已按身份证号记为男。" in "".join(
        errors
    )
    assert "导入完成" in "".join(out)
    assert Person.objects.get(name="周五").gender == Person.Gender.MALE


# --- item 11: other offices' headers and values, and a mapping that overrides ---


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("资源优势", "resources"),
        ("服务资源", "resources"),
        ("可提供资源", "resources"),
        ("实际需求", "needs"),
        ("服务需求", "needs"),
        ("主要需求", "needs"),
        ("需求", "needs"),
        ("业务范围", "activity_fields"),
        ("服务领域", "activity_fields"),
        ("组织类别", "category"),
        ("分类", "category"),
        ("负责人（法定代表人）", "leader_name"),
        ("负责人联系电话", "leader_phone"),
        ("所属村（社区）", "community"),
        ("法人身份证号", "leader_id_number"),
    ],
)
def test_organisation_header_synonyms_of_other_offices(header, field):
    assert headers.field_for(headers.ORGANIZATIONS, header) == field


OTHER_OFFICE_HEADERS = [
    "序号",
    "组织名称",
    "组织类型",
    "所属街道",
    "所属村（社区）",
    "成立时间",
    "负责人（法定代表人）",
    "负责人身份证号",
    "负责人联系电话",
    "服务领域",
    "服务资源",
    "服务需求",
]


def other_office_ledger() -> bytes:
    rows = [
        [1, "城关义务巡逻队", "平安志愿类", "城关街道", "幸福社区", "2019.3.1", "郑七", male_id(7),
         "13800138007", "治安巡逻", "巡逻队员20人", "需要排练场地，缺少音响；时间：周末（上午）"],
        [2, "和平社区舞蹈队", "文体娱乐类", "城关街道", "和平社区", "2020年6月1日", "王八",
         female_id(8), "13800138008", "广场舞", "舞蹈老师", "演出服装"],
        [3, "王家村秧歌二队", "文体娱乐", "青山镇", "王家村", "2021/1/1", "冯九", male_id(9),
         "13800138009", "秧歌", "锣鼓", "场地"],
    ]  # fmt: skip
    return workbook_bytes(
        {"Sheet1": (OTHER_OFFICE_HEADERS, rows)},
        title_rows={"Sheet1": [["城关街道社区社会组织基本情况统计表"]]},
    )


def test_another_offices_ledger_imports_in_one_round(county, county_admin):
    # given the categories of the county, and another office's ledger using 组织类型 for them
    CategoryFactory(name="平安志愿类")
    job = upload(county_admin, other_office_ledger())
    # then every column is recognised, 组织类型 as the category by its values, and no error
    assert job.errors == [] and job.unmapped_columns == []
    fields = {c["header"]: c["field"] for c in job.sheets[0]["columns"]}
    assert fields["组织类型"] == "category"
    assert fields["服务资源"] == "resources" and fields["服务需求"] == "needs"
    assert fields["负责人身份证号"] == "leader_id_number"
    assert job.can_commit
    # when it is committed
    job = commit.import_job_commit(actor=county_admin, job=job)
    assert job.status == ImportJob.Status.COMMITTED
    patrol = Organization.objects.get(name="城关义务巡逻队")
    assert patrol.category.name == "平安志愿类"
    assert patrol.resources == "巡逻队员20人"
    assert Organization.objects.get(name="王家村秧歌二队").category.name == "文体娱乐类"
    leader = patrol.memberships.get().person
    assert (leader.name, leader.mobile) == ("郑七", "13800138007")
    assert Membership.objects.filter(role=Membership.Role.LEADER).count() == 3


@pytest.mark.parametrize("header", ["组织类型", "类型", "类别"])
def test_an_ambiguous_header_holding_legal_forms_is_the_legal_form(county, county_admin, header):
    rows = [
        ["甲协会", "幸福社区", "社会团体"],
        ["乙中心", "幸福社区", "民非"],
        ["丙队", "幸福社区", "社区社会组织"],
    ]
    job = upload(
        county_admin, workbook_bytes({"台账": (["社会组织名称", "所属社区", header], rows)})
    )
    assert job.errors == []
    assert job.sheets[0]["columns"][2]["field"] == "legal_form"
    commit.import_job_commit(actor=county_admin, job=job)
    assert Organization.objects.get(name="乙中心").legal_form == "service_institution"


def test_both_a_legal_form_and_an_ambiguous_category_column(county, county_admin):
    rows = [["甲协会", "幸福社区", "社会团体", "文体娱乐类"]]
    header = ["社会组织名称", "所属社区", "组织形式", "组织类型"]
    job = upload(county_admin, workbook_bytes({"台账": (header, rows)}))
    assert [c["field"] for c in job.sheets[0]["columns"]] == [
        "name",
        "community",
        "legal_form",
        "category",
    ]
    assert job.errors == []


def _activity_file() -> bytes:
    # 活动内容 is recognised as the activity fields, but this office writes its needs there
    rows = [["甲协会", "幸福社区", "文体娱乐类", "缺少排练场地"]]
    return workbook_bytes({"台账": (["社会组织名称", "所属社区", "类别", "活动内容"], rows)})


def test_the_mapping_overrides_a_recognised_column(county, county_admin):
    job = upload(county_admin, _activity_file())
    assert job.sheets[0]["columns"][3]["field"] == "activity_fields"
    job = commit.import_job_set_mapping(
        actor=county_admin, job=job, mapping={"台账": {"D": "needs"}}
    )
    assert job.sheets[0]["columns"][3]["field"] == "needs"
    commit.import_job_commit(actor=county_admin, job=job)
    organization = Organization.objects.get(name="甲协会")
    assert (organization.needs, organization.activity_fields) == ("缺少排练场地", "")


def test_the_mapping_form_overrides_a_recognised_column(county, county_admin, client_as):
    client = client_as(county_admin)
    client.post(
        reverse("exports:import_upload"),
        {"file": SimpleUploadedFile("台账.xlsx", _activity_file())},
    )
    job = ImportJob.objects.get()
    url = reverse("exports:import_detail", kwargs={"pk": job.pk})
    page = client.get(url).content.decode()
    assert 'data-testid="import-mapping-override"' in page and "活动内容" in page
    form = {"fix_0": "name", "fix_1": "community", "fix_2": "category", "fix_3": "needs"}
    # choosing one field for two columns is refused with a message
    refused = client.post(
        reverse("exports:import_mapping", kwargs={"pk": job.pk}), {**form, "fix_3": "category"}
    )
    assert "被指定给了多列" in refused.content.decode()
    client.post(reverse("exports:import_mapping", kwargs={"pk": job.pk}), form)
    job.refresh_from_db()
    assert job.header_mapping == {"台账": {"D": "needs"}}
    client.post(reverse("exports:import_commit", kwargs={"pk": job.pk}))
    assert Organization.objects.get(name="甲协会").needs == "缺少排练场地"


def test_the_command_map_overrides_a_recognised_column(county, county_admin, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(_activity_file())
    call_command("import_ledger", str(path), "--map", "台账!D=needs", stdout=_Collect([]))
    assert Organization.objects.get(name="甲协会").needs == "缺少排练场地"
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_ledger", str(path), "--map", "台账!D=wishes")


def test_the_command_refuses_one_field_for_two_columns(county, county_admin, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(_activity_file())
    with pytest.raises(CommandError, match="多列"):
        call_command("import_ledger", str(path), "--map", "台账!C=needs", "--map", "台账!D=needs")


# --- item 17: a refused upload is deleted at once ---


def _formula_file() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "社会组织"
    sheet.append(ORG_HEADERS)
    for row in org_rows(2):
        sheet.append(row)
    sheet["B3"] = '=HYPERLINK("http://evil.example","点我")'
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xxe_file() -> bytes:
    source = zipfile.ZipFile(BytesIO(ledger_file(org_rows(2), [])))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"):
                body = data.decode().split("?>", 1)[-1]
                data = (
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body
                ).encode()
            target.writestr(info, data)
    return buffer.getvalue()


def _over_long_file() -> bytes:
    return ledger_file(org_rows(12), [])


def _no_header_file() -> bytes:
    return workbook_bytes({"Sheet1": (["a", "b"], [[1, 2]])})


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (_formula_file, "公式"),
        (_xxe_file, "无法读取"),
        (_over_long_file, "超过10行"),
        (_no_header_file, "没有找到能识别表头的工作表"),
    ],
    ids=["formula", "xxe", "over-long", "no-headers"],
)
def test_a_refused_upload_is_deleted_and_the_job_keeps_the_reason(
    county, county_admin, settings, content, fragment
):
    settings.IMPORT_MAX_ROWS = 10
    job = upload(county_admin, content())
    assert job.status == ImportJob.Status.FAILED
    assert any(fragment in error["message"] for error in job.errors)
    assert not job.file and job.is_refused
    assert stored_files(settings) == []
    job.refresh_from_db()
    assert job.errors and not job.file
    # and it cannot be checked again or committed: only uploading a fixed file helps
    with pytest.raises(ValidationError, match="已删除"):
        commit.import_job_set_mapping(actor=county_admin, job=job, mapping={})
    with pytest.raises(ValidationError):
        commit.import_job_commit(actor=county_admin, job=job)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("台账.csv", b"a,b", "只能导入 Excel 工作簿"),
        ("台账.xlsx", b"name,community\n", "不是有效的 Excel 工作簿"),
        ("台账.xlsx", b"", "空"),
        ("台账.xlsx", ledger_file(org_rows(200), member_rows(20)), "一次最多导入"),
    ],
    ids=["bad-type", "bad-magic", "empty", "too-large"],
)
def test_a_refused_page_upload_leaves_no_file(
    county, county_admin, client_as, settings, name, content, fragment
):
    settings.IMPORT_MAX_BYTES = 9000
    response = client_as(county_admin).post(
        reverse("exports:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )
    assert fragment in response.content.decode()
    assert stored_files(settings) == []
    # and the service refuses it too, before writing anything
    with pytest.raises(ValidationError, match=fragment):
        upload(county_admin, content, name=name)
    assert stored_files(settings) == []


def test_a_refused_job_page_says_the_file_was_deleted(county, county_admin, client_as, settings):
    client = client_as(county_admin)
    client.post(
        reverse("exports:import_upload"), {"file": SimpleUploadedFile("台账.xlsx", _formula_file())}
    )
    job = ImportJob.objects.get()
    page = client.get(reverse("exports:import_detail", kwargs={"pk": job.pk})).content.decode()
    assert 'data-testid="import-refused"' in page
    assert 'data-testid="import-mapping' not in page
    assert "公式" in page.split('data-testid="import-errors"')[1]
    assert stored_files(settings) == []


def test_a_file_with_errors_but_not_refused_is_kept_for_the_mapping(county, county_admin, settings):
    orgs = org_rows(2)
    orgs[0][2] = wrong_check_digit(orgs[0][2])
    job = upload(county_admin, ledger_file(orgs, []))
    assert job.errors and job.status == ImportJob.Status.VALIDATED
    assert len(stored_files(settings)) == 1


def test_the_template_has_a_text_column_for_the_leaders_id_number(county, county_admin):
    from openpyxl import load_workbook

    from exports.importing.template import build_template

    sheet = load_workbook(BytesIO(build_template()))["社会组织"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("负责人身份证号") + 1
    assert sheet.cell(row=2, column=column).number_format == "@"


def _township_ledger(fixed: bool) -> bytes:
    orgs = [
        ["城关义务巡逻队", "幸福社区", "2019-03-01", "郑七", male_id(7), "13800138007"],
        ["和平社区舞蹈队", "和平社区", "2020-06-01", "王八", female_id(8), "13800138008"],
    ]
    members = [
        ["城关义务巡逻队", "陈十", "男", male_id(3), "2019-04-01"],
        ["和平社区舞蹈队", "林十一", "男", female_id(4), "2020-07-01"],  # gender typed wrong
        ["和平社区舞蹈队", "何十二", "女", female_id(5), "2020-07-01"],
    ]
    if not fixed:
        orgs[0][4] = int(male_id(7)[:17]) * 10  # the leader's ID typed as a number
        members[0][4] = "2018-04-01"  # before the patrol was founded
        members[2][3] = wrong_check_digit(female_id(5))
    return workbook_bytes(
        {
            "社会组织": (
                ["组织名称", "所属社区", "成立时间", "负责人", "负责人身份证号", "联系电话"],
                orgs,
            ),
            "成员": (["所属组织", "姓名", "性别", "身份证号", "入会时间"], members),
        },
        title_rows={"社会组织": [["城关街道社会组织台账"]]},
    )


def test_a_townships_ledger_with_leaders_imports_after_one_round_of_fixes(county, township_staff):
    # given the township's ledger with three mistakes spread over both sheets
    first = upload(township_staff, _township_ledger(fixed=False))
    # then the one preview lists all three, and the gender typed wrong only as a warning
    assert {(e["sheet"], e["row"], e["column"]) for e in first.errors} == {
        ("社会组织", 3, "E"),
        ("成员", 2, "E"),
        ("成员", 4, "D"),
    }
    assert [(w["sheet"], w["row"]) for w in first.warnings] == [("成员", 3)]
    # when those three are fixed, the file imports in one go
    second = upload(township_staff, _township_ledger(fixed=True))
    assert second.errors == [] and second.can_commit
    commit.import_job_commit(actor=township_staff, job=second)
    assert Membership.objects.filter(role=Membership.Role.LEADER).count() == 2
    assert Membership.objects.filter(organization__name="和平社区舞蹈队").count() == 3
    assert Person.objects.get(name="林十一").gender == Person.Gender.FEMALE
