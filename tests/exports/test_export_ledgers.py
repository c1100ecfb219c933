"""Every ledger opened with openpyxl: headers, types, masking by role, no formula anywhere."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest

from exports.registry import KINDS, build_ledger
from exports.services import write_ledger
from orgs.permissions import can_see_sensitive
from tests.exports.factories import (
    EXPORT_ID_NUMBER,
    EXPORT_MOBILE,
    HOSTILE_NAME,
    export_ledger_records,
)

# kind -> (first header, a header that must be there, the filters used)
EXPECTED = {
    "orgs": ("名称", "统一社会信用代码", {}),
    "members": ("社会组织", "身份证号", {}),
    "branches": ("名称", "成立日期", {}),
    "meetings": ("党支部", "会议日期", {"quarter": ["2026Q2"]}),
    "bookings": ("街道/乡镇", "开始时间", {"month": ["2026-05"]}),
    "activities": ("标题", "开始时间", {}),
    "ranking": ("排名", "活动频次", {"quarter": ["2026Q2"]}),
    "awards": ("类别", "四个季度合计", {"year": ["2026"]}),
}
HEADER_ROW = 3
# The ranking and awards workbooks open on a summary: their first ledger sheet is the second.
FIRST_LEDGER_SHEET = {"ranking": 1, "awards": 1}


def export(user, kind, params=None):
    """Write the ledger as `user` sees it; return the workbook and each sheet's raw XML."""
    ledger = build_ledger(kind, user=user, params=params or {}, reveal=can_see_sensitive(user))
    buffer = io.BytesIO()
    write_ledger(ledger, buffer)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    xml = {
        name: archive.read(name).decode()
        for name in archive.namelist()
        if name.startswith("xl/worksheets/sheet")
    }
    buffer.seek(0)
    return openpyxl.load_workbook(buffer), xml


def data_rows(sheet):
    return list(sheet.iter_rows(min_row=HEADER_ROW + 1))


def test_every_kind_of_design_is_registered():
    assert set(KINDS) == set(EXPECTED)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_ledger_has_title_headers_frozen_panes_and_filter(kind, county, county_admin):
    export_ledger_records(county)
    first_header, header, params = EXPECTED[kind]

    workbook, xml = export(county_admin, kind, params)

    sheet = workbook.worksheets[FIRST_LEDGER_SHEET.get(kind, 0)]
    assert sheet["A1"].value and sheet["A1"].font.b
    assert sheet["A2"].value.startswith("截至 ")
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert headers[0] == first_header
    assert header in headers
    assert all(cell.font.b and cell.fill.fgColor.rgb == "FFD9E1F2" for cell in sheet[HEADER_ROW])
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert max(dim.width for dim in sheet.column_dimensions.values()) >= 20
    assert len(data_rows(sheet)) >= 1
    for content in xml.values():
        assert "<f>" not in content and "<f " not in content


@pytest.mark.parametrize("kind", ["orgs", "members", "branches", "activities", "awards"])
def test_hostile_text_is_a_literal_string_never_a_formula(kind, county, county_admin):
    export_ledger_records(county)

    workbook, xml = export(county_admin, kind, EXPECTED[kind][2])

    cells = [cell for sheet in workbook.worksheets for row in data_rows(sheet) for cell in row]
    hostile = [cell for cell in cells if cell.value == HOSTILE_NAME]
    assert hostile, "the hostile name must be exported as it was typed"
    for cell in hostile:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    for cell in cells:
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r":
            assert cell.data_type == "s", cell.value
    assert not any(re.search(r"<f[ >]", content) for content in xml.values())


def test_meeting_and_booking_text_starting_with_operators_stays_text(county, county_admin):
    export_ledger_records(county)

    meetings, _ = export(county_admin, "meetings", EXPECTED["meetings"][2])
    bookings, _ = export(county_admin, "bookings", EXPECTED["bookings"][2])

    topics = [row[4].value for row in data_rows(meetings.worksheets[0])]
    purposes = [row[6].value for row in data_rows(bookings.worksheets[0])]
    assert "=1+1" in topics
    assert "@purpose" in purposes


def test_members_ids_and_phones_are_text_and_dates_are_dates(county, county_admin):
    export_ledger_records(county)

    workbook, _ = export(county_admin, "members")

    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    row = next(r for r in data_rows(sheet) if r[headers.index("姓名")].value == HOSTILE_NAME)
    id_cell = row[headers.index("身份证号")]
    assert id_cell.value == EXPORT_ID_NUMBER and id_cell.data_type == "s"
    mobile = row[headers.index("手机号")]
    assert mobile.value == EXPORT_MOBILE and mobile.data_type == "s"
    assert row[headers.index("出生日期")].value == datetime.datetime(1949, 12, 31)
    joined = row[headers.index("加入日期")]
    assert joined.is_date and joined.value == datetime.datetime(2021, 3, 4)


def test_an_18_digit_id_number_stays_text_not_a_number(county, county_admin):
    from orgs.models import Person

    export_ledger_records(county)
    Person.objects.filter(id_number=EXPORT_ID_NUMBER).update(id_number="110105194912310029")

    workbook, xml = export(county_admin, "members")

    assert "110105194912310029" in "".join(xml.values())
    cells = [c for row in data_rows(workbook.worksheets[0]) for c in row]
    id_cell = next(c for c in cells if c.value == "110105194912310029")
    assert id_cell.data_type == "s"


@pytest.mark.parametrize(
    ("persona", "full"),
    [
        ("county_admin", True),
        ("township_staff", True),
        ("secretary", False),
        ("official", False),
        ("org_contact", False),
    ],
    indirect=["persona"],
)
def test_members_are_masked_unless_the_role_may_see_sensitive_data(persona, full, county):
    export_ledger_records(county)

    workbook, xml = export(persona, "members")

    text = "".join(xml.values())
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    row = next(r for r in data_rows(sheet) if r[headers.index("姓名")].value == HOSTILE_NAME)
    if full:
        assert row[headers.index("身份证号")].value == EXPORT_ID_NUMBER
        assert row[headers.index("手机号")].value == EXPORT_MOBILE
    else:
        assert row[headers.index("身份证号")].value == "110***********002X"
        assert row[headers.index("手机号")].value == "138****5678"
        # Only the birth year: with the masked number's ends, the date would rebuild it.
        assert row[headers.index("出生日期")].value == "1949"
        assert EXPORT_ID_NUMBER not in text and EXPORT_MOBILE not in text


@pytest.mark.parametrize(
    ("persona", "full"),
    [("county_admin", True), ("official", False), ("secretary", False)],
    indirect=["persona"],
)
def test_leader_mobile_in_the_organisation_ledger_is_masked_by_role(persona, full, county):
    export_ledger_records(county)

    _, xml = export(persona, "orgs")

    text = "".join(xml.values())
    assert (EXPORT_MOBILE in text) is full
    assert ("138****5678" in text) is not full


@pytest.mark.parametrize(
    "kind", ["orgs", "members", "branches", "meetings", "bookings", "activities", "awards"]
)
def test_township_staff_export_nothing_of_another_township(kind, county, township_staff):
    export_ledger_records(county)

    _, xml = export(township_staff, kind, EXPECTED[kind][2])

    text = "".join(xml.values())
    assert "王家村" not in text
    assert "青山镇" not in text


def test_org_contact_exports_only_their_organisation(county, org_contact):
    export_ledger_records(county)

    workbook, _ = export(org_contact, "orgs")

    names = [row[0].value for row in data_rows(workbook.worksheets[0])]
    assert names == [county.org_a1.name]


def test_list_filters_narrow_the_export(county, county_admin):
    export_ledger_records(county)

    workbook, _ = export(county_admin, "orgs", {"township": [str(county.township_b.pk)]})

    sheet = workbook.worksheets[0]
    assert [row[0].value for row in data_rows(sheet)] == [county.org_b1.name]
    assert "青山镇" in sheet["A2"].value


def test_ranking_has_a_summary_a_sheet_per_scope_in_rank_order_and_details(county, county_admin):
    export_ledger_records(county)

    workbook, _ = export(county_admin, "ranking", {"quarter": ["2026Q2"]})

    assert workbook.sheetnames == ["汇总", "全县", "文体娱乐类", "城关街道", "青山镇", "明细"]
    county_sheet = workbook["全县"]
    ranks = [(row[0].value, row[2].value) for row in data_rows(county_sheet)]
    assert ranks == [(1, county.org_a1.name), (2, county.org_b1.name)]
    assert [row[0].value for row in data_rows(workbook["青山镇"])] == [1]
    headers = [cell.value for cell in county_sheet[HEADER_ROW]]
    first = data_rows(county_sheet)[0]
    assert first[headers.index("总分")].value == 15
    details = workbook["明细"]
    headers = [cell.value for cell in details[HEADER_ROW]]
    assert data_rows(details)[0][headers.index("主导的已核实活动")].value == 3


def test_ranking_of_another_quarter_says_nobody_was_ranked(county, county_admin):
    export_ledger_records(county)

    workbook, _ = export(county_admin, "ranking", {"quarter": ["2025Q4"]})

    assert workbook.sheetnames == ["汇总", "全县", "文体娱乐类", "城关街道", "青山镇", "明细"]
    assert [row[0].value for row in data_rows(workbook["全县"])] == ["本季度无参与排名的社会组织"]
    assert data_rows(workbook["明细"]) == []


def test_a_malformed_quarter_is_refused_in_chinese(county, county_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        build_ledger("ranking", user=county_admin, params={"quarter": ["2026Q5"]}, reveal=False)

    assert "2026Q3" in error.value.messages[0] and "季度" in error.value.messages[0]


def test_ranking_explains_each_score_with_the_quarters_rules(county, county_admin):
    from scoring.services.compute import compute_quarter
    from tests.scoring.test_compute import activities

    activities(county.org_a1, 2)  # two verified activities in February 2025
    compute_quarter(2025, 1)

    workbook, _ = export(county_admin, "ranking", {"quarter": ["2025Q1"]})

    sheet = workbook["明细"]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    first = data_rows(sheet)[0]
    assert first[0].value == county.org_a1.name
    explanation = first[headers.index("得分说明")].value
    assert "2 项已核实的主办活动 × 5 = 10" in explanation
    assert explanation.splitlines()[0].startswith("活动频次 10：")
