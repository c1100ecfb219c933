"""The ranking workbook a county official hands to a leader: summary, rankings, details, print."""

import pytest

from tests.scoring.workbook_county import (
    COUNTY_NAME,
    EMPTY,
    add_volunteer_teams,
    build_ranked_county,
    open_workbook,
    ranking_workbook_bytes,
)

HEADER_ROW = 3
LEADER_COLUMNS = [
    "排名",
    "变化",
    "社会组织",
    "类别",
    "街道/乡镇",
    "活动频次",
    "服务实效",
    "群众满意度",
    "治理贡献度",
    "加分",
    "扣分",
    "总分",
    "备注",
]
ALL_SHEETS = ["汇总", "全县", "文体娱乐类", "公益慈善类", "城关街道", "青山镇", "白云乡", "明细"]


@pytest.fixture
def ranked(county, settings):
    settings.COUNTY_NAME = COUNTY_NAME
    return build_ranked_county(county)


def data_rows(sheet):
    return [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
        if any(cell.value is not None for cell in row)
    ]


def summary_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def block(sheet, heading: str) -> list[list]:
    """The rows of the summary table under `heading` (its header row first)."""
    rows = summary_rows(sheet)
    start = next(i for i, row in enumerate(rows) if row[0] == heading)
    found = []
    for row in rows[start + 1 :]:
        if all(value is None for value in row):
            break
        found.append(list(row))
    return found


def test_sheets_are_summary_county_categories_every_township_then_details(ranked, county_admin):
    workbook = open_workbook(ranking_workbook_bytes(county_admin))

    assert workbook.sheetnames == ALL_SHEETS


def test_summary_counts_the_quarter_top_ten_and_townships(ranked, county, county_admin):
    summary = open_workbook(ranking_workbook_bytes(county_admin))["汇总"]

    assert summary["A1"].value == "平安县社会组织季度积分排名 · 2026年第三季度 · 汇总"
    about = {row[0]: row[1] for row in block(summary, "本表说明")[1:]}
    assert about["季度"] == "2026年第三季度"
    assert about["排名计算时间"] == "2026-10-05 02:30"
    counts = {row[0]: row[1] for row in block(summary, "参评情况")[1:]}
    assert counts == {
        "参评社会组织": 5,
        "参与排名": 4,
        "不参与排名": 1,
        "不参与排名：注销": 1,
    }
    top = block(summary, "全县前十名")
    assert top[0][:5] == ["排名", "社会组织", "类别", "街道/乡镇", "总分"]
    assert [row[:2] for row in top[1:]] == [
        [1, county.org_a1.name],
        [2, county.org_a2.name],
        [2, county.org_b1.name],
        [4, "王家村助老服务队"],
    ]
    culture = block(summary, "文体娱乐类前十名")
    assert [row[:2] for row in culture[1:]] == [[1, county.org_a1.name], [2, county.org_b1.name]]
    townships = {row[0]: row[1:6] for row in block(summary, "各街道/乡镇情况")[1:]}
    assert townships["城关街道"] == [2, 2, 55, county.org_a1.name, 60]
    assert townships["青山镇"] == [3, 2, 40, county.org_b1.name, 50]
    assert townships["白云乡"] == [0, 0, None, EMPTY, None]


def test_ranking_sheets_show_the_leaders_columns_shared_ranks_and_changes(
    ranked, county, county_admin
):
    workbook = open_workbook(ranking_workbook_bytes(county_admin))

    sheet = workbook["全县"]
    assert [cell.value for cell in sheet[HEADER_ROW]] == LEADER_COLUMNS
    rows = data_rows(sheet)
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (1, "↑3", county.org_a1.name),
        (2, "↓1", county.org_a2.name),
        (2, "新", county.org_b1.name),
        (4, "—", "王家村助老服务队"),
        (None, None, "王家村旧篮球队"),
    ]
    assert rows[-1][12] == "不参与排名：注销"
    total = sheet.cell(row=HEADER_ROW + 1, column=12)
    assert total.value == 60 and total.number_format == "0.00"
    assert sheet.cell(row=HEADER_ROW + 1, column=6).number_format == "0.00"
    assert [row[0] for row in data_rows(workbook["青山镇"])] == [1, 2, None]


def test_a_township_without_ranked_organisations_says_so(ranked, county_admin):
    workbook = open_workbook(ranking_workbook_bytes(county_admin))

    sheet = workbook["白云乡"]
    assert [cell.value for cell in sheet[HEADER_ROW]] == LEADER_COLUMNS
    assert data_rows(sheet) == [[EMPTY] + [None] * 12]


def test_details_explain_every_score_in_wrapped_text(ranked, county, county_admin):
    sheet = open_workbook(ranking_workbook_bytes(county_admin))["明细"]

    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert headers[0] == "社会组织" and headers[-1] == "得分说明"
    assert "主导的已核实活动" in headers and "党支部组织生活达标" in headers
    assert len(data_rows(sheet)) == 5
    first = next(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 1))
    assert first[0].value == county.org_a1.name
    explanation = first[-1]
    assert explanation.value.startswith("活动频次 60：")
    assert explanation.alignment.wrap_text
    assert sheet.column_dimensions["U"].width >= 50
    last = data_rows(sheet)[-1]
    assert "不参与排名：注销" in last[-1]


def test_every_sheet_prints_landscape_one_page_wide_with_county_and_page_numbers(
    ranked, county_admin
):
    workbook = open_workbook(ranking_workbook_bytes(county_admin))

    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == "$1:$3"
        assert sheet.oddHeader.left.text == COUNTY_NAME
        assert sheet.oddHeader.center.text == "平安县社会组织季度积分排名 · 2026年第三季度"
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    ranking = workbook["全县"]
    widths = sum(ranking.column_dimensions[c].width for c in "ABCDEFGHIJKLM")
    assert widths <= 150  # landscape A4 at a legible scale


def test_the_title_names_the_county_of_the_ranking_whatever_the_setting(
    ranked, county_admin, settings
):
    # The county is the ranking's own (areas), not a setting of the installation.
    settings.COUNTY_NAME = ""

    sheet = open_workbook(ranking_workbook_bytes(county_admin))["汇总"]

    assert sheet["A1"].value == "平安县社会组织季度积分排名 · 2026年第三季度 · 汇总"
    assert sheet.oddHeader.left.text == "平安县"


def test_a_township_filter_keeps_only_its_rows_and_sheets(ranked, county, county_admin):
    content = ranking_workbook_bytes(
        county_admin, {"township": [str(county.township_a.pk)], "scope": ["township"]}
    )

    workbook = open_workbook(content)
    assert workbook.sheetnames == ["汇总", "城关街道", "全县", "文体娱乐类", "公益慈善类", "明细"]
    assert [row[2] for row in data_rows(workbook["全县"])] == [
        county.org_a1.name,
        county.org_a2.name,
    ]
    summary = workbook["汇总"]
    counts = {row[0]: row[1] for row in block(summary, "参评情况")[1:]}
    assert counts == {"参评社会组织": 2, "参与排名": 2, "不参与排名": 0}
    assert [row[0] for row in block(summary, "各街道/乡镇情况")[1:]] == ["城关街道"]
    assert "街道/乡镇: 城关街道" in summary["A2"].value


def test_a_category_filter_and_a_name_search_narrow_the_sheets(ranked, county, county_admin):
    by_category = open_workbook(
        ranking_workbook_bytes(county_admin, {"category": [str(ranked.charity.pk)]})
    )
    by_name = open_workbook(ranking_workbook_bytes(county_admin, {"q": ["秧歌"]}))

    assert by_category.sheetnames == [
        "汇总",
        "全县",
        "公益慈善类",
        "城关街道",
        "青山镇",
        "白云乡",
        "明细",
    ]
    assert [row[2] for row in data_rows(by_category["全县"])] == [
        county.org_a2.name,
        "王家村助老服务队",
    ]
    assert data_rows(by_category["白云乡"])[0][0] == EMPTY
    assert by_name.sheetnames == ["汇总", "全县", "文体娱乐类", "青山镇", "明细"]
    assert [row[2] for row in data_rows(by_name["青山镇"])] == [county.org_b1.name]


def test_a_category_tab_export_puts_the_categories_first(ranked, county_admin):
    workbook = open_workbook(ranking_workbook_bytes(county_admin, {"scope": ["category"]}))

    assert workbook.sheetnames[:4] == ["汇总", "文体娱乐类", "公益慈善类", "全县"]


def test_township_staff_get_a_sheet_for_their_own_township_only(ranked, township_staff):
    workbook = open_workbook(ranking_workbook_bytes(township_staff))

    assert workbook.sheetnames == ["汇总", "全县", "文体娱乐类", "公益慈善类", "城关街道", "明细"]
    summary = workbook["汇总"]
    assert [row[0] for row in block(summary, "各街道/乡镇情况")[1:]] == ["城关街道"]


def test_an_unknown_category_is_refused_in_chinese(ranked, county_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        ranking_workbook_bytes(county_admin, {"category": ["999999"]})

    assert "category" in error.value.message_dict


def test_the_workbook_runs_the_same_queries_for_5_or_45_organisations(
    county, county_admin, settings, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COUNTY_NAME = COUNTY_NAME
    ranked = build_ranked_county(county)
    with CaptureQueriesContext(connection) as few:
        ranking_workbook_bytes(county_admin)
    add_volunteer_teams(county, ranked.culture, 40)

    with django_assert_max_num_queries(len(few.captured_queries)):
        content = ranking_workbook_bytes(county_admin)

    assert len(few.captured_queries) <= 30
    assert len(data_rows(open_workbook(content)["全县"])) == 45
