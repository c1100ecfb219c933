"""The awards workbook: a summary by category, then every award with its decision, printable."""

import io

import openpyxl

from exports.registry import build_ledger
from exports.services import write_ledger
from scoring.models import Award
from tests.exports.factories import HOSTILE_NAME, export_ledger_records

HEADER_ROW = 3


def awards_workbook(user, year="2026"):
    ledger = build_ledger("awards", user=user, params={"year": [year]}, reveal=False)
    target = io.BytesIO()
    write_ledger(ledger, target)
    return openpyxl.load_workbook(io.BytesIO(target.getvalue()))


def test_awards_summary_counts_statuses_and_lists_each_category(county, county_admin, settings):
    settings.COUNTY_NAME = "平安县"
    records = export_ledger_records(county)
    Award.objects.filter(organization=county.org_b1).update(status=Award.Status.CONFIRMED)

    workbook = awards_workbook(county_admin)

    assert workbook.sheetnames == ["汇总", "表彰"]
    rows = [list(row) for row in workbook["汇总"].iter_rows(values_only=True)]
    assert rows[0][0] == "平安县社会组织年度表彰 2026 · 汇总"
    counts = {row[0]: row[1] for row in rows if isinstance(row[1], int)}
    assert counts == {"表彰": 2, "拟表彰": 1, "已确认": 1, "未通过": 0}
    start = next(i for i, row in enumerate(rows) if row[0] == records.category.name)
    assert rows[start + 1][:6] == [
        "类别内排名",
        "社会组织",
        "街道/乡镇",
        "称号",
        "四个季度合计",
        "状态",
    ]
    assert rows[start + 2][:2] == [1, county.org_a1.name]
    assert rows[start + 3][1:6] == [county.org_b1.name, "青山镇", "优秀社团", 50, "已确认"]


def test_awards_sheet_has_the_leaders_columns_and_prints_with_the_county(
    county, county_admin, settings
):
    settings.COUNTY_NAME = "平安县"
    export_ledger_records(county)

    workbook = awards_workbook(county_admin)

    sheet = workbook["表彰"]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert headers == [
        "类别",
        "类别内排名",
        "社会组织",
        "街道/乡镇",
        "称号",
        "四个季度合计",
        "计入季度数",
        "状态",
        "审批人",
        "审批时间",
        "备注",
    ]
    first = next(iter(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 1)))
    assert first[4].value == HOSTILE_NAME and first[4].quotePrefix
    assert first[5].number_format == "0.00"
    for worksheet in workbook.worksheets:
        assert worksheet.page_setup.orientation == "landscape"
        assert worksheet.page_setup.fitToWidth == 1
        assert worksheet.oddHeader.left.text == "平安县"
        assert worksheet.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_a_year_without_awards_says_so(county, county_admin):
    workbook = awards_workbook(county_admin, year="2024")

    sheet = workbook["表彰"]
    assert sheet.cell(row=HEADER_ROW + 1, column=1).value == "本年度无表彰"
    summary = [row[0] for row in workbook["汇总"].iter_rows(values_only=True)]
    assert "本年度无表彰" in summary
