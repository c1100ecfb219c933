"""Importing a ledger: the 30-row file with 5 bad rows, the fixed file, and idempotency.

Workbooks are built here with openpyxl; no binary fixture is committed.
"""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.identifiers import credit_code_check_char
from core.models import AuditEvent
from exports.importing import commit
from exports.models import ImportJob
from orgs.models import Membership, Organization, Person
from tests.orgs.factories import make_id_number

ORG_HEADERS = [
    "序号",
    "社团名称",
    "统一社会信用代码",
    "所属社区",
    "类别",
    "成立时间",
    "负责人",
    "联系电话",
]
MEMBER_HEADERS = [
    "所属社会组织",
    "姓名",
    "公民身份号码",
    "手机号码",
    "职务",
    "加入日期",
    "政治面貌",
]
DATE_SPELLINGS = [
    "2019.5.1",
    "2019-05-01",
    "2019/5/1",
    "2019年5月1日",
    datetime.date(2019, 5, 1),
    43586,
]  # 43586 is the Excel serial of 2019-05-01


def credit_code(n: int) -> str:
    first17 = f"51990101{n:09d}"
    return first17 + credit_code_check_char(first17)


def org_rows(count=10):
    communities = ["幸福社区", "和平社区", "王家村"]
    return [
        [
            i + 1,
            f"导入社团{i}",
            credit_code(100 + i),
            communities[i % 3],
            "文体娱乐类",
            DATE_SPELLINGS[i % len(DATE_SPELLINGS)],
            f"负责人{i}",
            f"1380013{i:04d}",
        ]
        for i in range(count)
    ]


def member_rows(count=20):
    return [
        [
            f"导入社团{i % 10}",
            f"成员{i}",
            make_id_number(500 + i),
            f"1390013{i:04d}",
            "骨干" if i % 5 == 0 else "会员",
            DATE_SPELLINGS[i % len(DATE_SPELLINGS)],
            "中共党员" if i % 4 == 0 else "群众",
        ]
        for i in range(count)
    ]


def workbook_bytes(sheets: dict[str, tuple[list, list]], title_rows: dict | None = None) -> bytes:
    """Build an xlsx: {sheet title: (headers, rows)}, with optional title rows above the header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        for line in (title_rows or {}).get(title, []):
            sheet.append(line)
        if (title_rows or {}).get(title):
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_file(orgs=None, members=None) -> bytes:
    return workbook_bytes(
        {
            "社会组织": (ORG_HEADERS, org_rows() if orgs is None else orgs),
            "成员": (MEMBER_HEADERS, member_rows() if members is None else members),
        },
        title_rows={"社会组织": [["城关街道社会组织台账（2024年）"]]},
    )


def upload(actor, content: bytes, name="台账.xlsx") -> ImportJob:
    return commit.import_job_create(actor=actor, upload=SimpleUploadedFile(name, content))


def snapshot():
    """Row counts and history counts of everything an import may write."""
    return {
        "orgs": Organization.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "org_history": Organization.history.count(),
        "person_history": Person.history.count(),
        "membership_history": Membership.history.count(),
        "ledger_audit": AuditEvent.objects.exclude(action__startswith="import.").count(),
    }


@pytest.fixture(autouse=True)
def private_imports_root(settings, tmp_path):
    settings.IMPORTS_ROOT = tmp_path / "imports"


def bad_file() -> bytes:
    orgs = org_rows()
    members = member_rows()
    orgs[2][2] = orgs[2][2][:-1] + ("0" if orgs[2][2][-1] != "0" else "1")  # check digit
    orgs[6][5] = "2019年13月1日"  # no 13th month
    members[3][2] = int(members[3][2][:17]) * 10  # an ID typed into a number cell
    members[8][3] = "1390013000"  # 10 digits
    members[14] = list(members[13])  # the same member twice
    return ledger_file(orgs, members)


def test_file_with_five_bad_rows_writes_nothing_and_reports_exactly_those(county, county_admin):
    # given the ledger as it is
    before = snapshot()
    # when a 30-row file with 5 bad rows is uploaded
    job = upload(county_admin, bad_file())
    # then exactly 5 errors come back, with sheet, Excel row, column letter and a Chinese message
    found = {(e["sheet"], e["row"], e["column"], e["header"]) for e in job.errors}
    assert found == {
        ("社会组织", 5, "C", "统一社会信用代码"),  # title row, header row, then data from row 3
        ("社会组织", 9, "F", "成立时间"),
        ("成员", 5, "C", "公民身份号码"),
        ("成员", 10, "D", "手机号码"),
        ("成员", 16, "C", "公民身份号码"),
    }
    messages = {(e["sheet"], e["row"]): e["message"] for e in job.errors}
    assert "请将身份证号列设置为文本格式" in messages[("成员", 5)]
    assert "统一社会信用代码未通过校验" in messages[("社会组织", 5)]
    assert "手机号应为11位" in messages[("成员", 10)]
    assert "第15行" in messages[("成员", 16)]
    assert "不是日期" in messages[("社会组织", 9)]
    assert not job.can_commit
    # and committing is refused, nothing written
    with pytest.raises(Exception, match="不能提交"):
        commit.import_job_commit(actor=county_admin, job=job)
    assert snapshot() == before


def test_fixed_file_imports_all_thirty_rows_then_reimport_changes_nothing(county, county_admin):
    before = snapshot()
    # when the fixed file is uploaded and committed
    job = upload(county_admin, ledger_file())
    assert job.errors == []
    assert job.summary["rows"] == 30
    assert job.summary["organizations"]["create"] == 10
    assert job.summary["members"]["create"] == 20
    job = commit.import_job_commit(actor=county_admin, job=job)
    # then all 30 rows are in the ledger, with history and audit rows
    assert job.status == ImportJob.Status.COMMITTED
    after = snapshot()
    assert after["orgs"] == before["orgs"] + 10
    assert after["people"] == before["people"] + 20
    assert after["memberships"] == before["memberships"] + 20
    assert after["org_history"] == before["org_history"] + 10
    assert AuditEvent.objects.filter(action="organization.create").count() == 10
    assert AuditEvent.objects.filter(action="membership.add").count() == 20
    org = Organization.objects.get(name="导入社团3")
    assert org.credit_code == credit_code(103)
    assert org.community == county.community_a1
    assert org.founded_on == datetime.date(2019, 5, 1)
    assert org.ledger_keeper == county_admin
    for membership in Membership.objects.filter(person__name__startswith="成员"):
        assert membership.joined_on == datetime.date(2019, 5, 1)
    leader = Person.objects.get(name="成员0")
    assert leader.is_party_member and leader.party_status == Person.PartyStatus.FULL
    assert Membership.objects.get(person=leader).role == Membership.Role.CORE

    # when the same file is imported again
    again = upload(county_admin, ledger_file())
    assert again.summary["organizations"] == {"create": 0, "update": 0, "unchanged": 10}
    assert again.summary["members"] == {"create": 0, "update": 0, "unchanged": 20}
    commit.import_job_commit(actor=county_admin, job=again)
    # then nothing changes, not even history
    assert snapshot() == after


def test_reimport_with_a_changed_cell_updates_only_that_organisation(county, county_admin):
    job = commit.import_job_commit(actor=county_admin, job=upload(county_admin, ledger_file()))
    assert job.status == ImportJob.Status.COMMITTED
    orgs = org_rows()
    orgs[1][6] = "新负责人"
    again = upload(county_admin, ledger_file(orgs))
    assert again.summary["organizations"] == {"create": 0, "update": 1, "unchanged": 9}
    commit.import_job_commit(actor=county_admin, job=again)
    org = Organization.objects.get(name="导入社团1")
    assert org.leader_name == "新负责人"
    assert org.history.first().history_user == county_admin


def test_an_error_half_way_through_the_commit_leaves_the_ledger_as_it_was(
    county, county_admin, monkeypatch
):
    # given a valid file
    job = upload(county_admin, ledger_file())
    before = snapshot()
    # members are written three at a time; the third chunk (rows 7 to 9) fails
    real_chunk = commit.bulk.write_chunk
    calls = {"n": 0}

    def failing_chunk(state, chunk):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real_chunk(state, chunk)

    monkeypatch.setattr(commit.bulk, "CHUNK_SIZE", 3)
    monkeypatch.setattr(commit.bulk, "write_chunk", failing_chunk)
    # when the seventh membership fails
    with pytest.raises(RuntimeError):
        commit.import_job_commit(actor=county_admin, job=job)
    # then the organisations and the first six members are rolled back too
    assert snapshot() == before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


def test_township_staff_cannot_import_into_another_township(county, township_staff):
    job = upload(township_staff, ledger_file(members=[]))
    outside = [e for e in job.errors if e["column"] == "D"]
    # rows 3, 6, 9, 12 of the org sheet are in 王家村 (township B)
    assert [e["row"] for e in outside] == [5, 8, 11]
    assert all("不在您所辖" in e["message"] or "只能导入" in e["message"] for e in outside)


def test_township_staff_imports_their_own_township(county, township_staff):
    orgs = [row for row in org_rows() if row[3] != "王家村"]
    members = [row for row in member_rows() if int(row[0][-1]) % 3 != 2]
    job = upload(township_staff, ledger_file(orgs, members))
    assert job.errors == []
    commit.import_job_commit(actor=township_staff, job=job)
    assert Organization.objects.filter(name__startswith="导入社团").count() == len(orgs)


def test_member_matched_by_id_number_reuses_the_resident(county, county_admin):
    from tests.orgs.factories import PersonFactory

    existing = PersonFactory(name="成员0", id_number=make_id_number(500))
    job = commit.import_job_commit(actor=county_admin, job=upload(county_admin, ledger_file()))
    assert job.status == ImportJob.Status.COMMITTED
    assert Person.objects.filter(id_number=existing.id_number).count() == 1
    assert existing.memberships.count() == 1


def test_id_number_under_another_name_in_the_ledger_is_refused(county, county_admin):
    from tests.orgs.factories import PersonFactory

    PersonFactory(name="别人", id_number=make_id_number(501), community=county.community_a1)
    job = upload(county_admin, ledger_file())
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "B")]
    assert "别人" in job.errors[0]["message"]
