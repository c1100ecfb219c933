"""Every exported sheet is ready to print: landscape, one page wide, head rows, page numbers."""

from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from core.xlsx import (
    DECIMAL,
    INTEGER,
    LINE_HEIGHT,
    Block,
    Column,
    Sheet,
    text_lines,
    write_workbook,
)
from exports.registry import build_ledger


def test_every_sheet_prints_landscape_one_page_wide_with_titles_and_page_numbers(tmp_path):
    target = tmp_path / "book.xlsx"
    columns = [Column("Name", width=20), Column("Total", width=10)]
    sheets = [Sheet("甲", columns, [["a", 1]]), Sheet("乙", columns, [])]

    write_workbook(target, sheets, title="社会组织排名", as_of=date(2026, 10, 9))

    workbook = load_workbook(target)
    assert len(workbook.worksheets) == 2
    for worksheet in workbook.worksheets:
        assert worksheet.page_setup.orientation == "landscape"
        assert worksheet.page_setup.fitToWidth == 1
        assert worksheet.page_setup.fitToHeight == 0
        assert worksheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert worksheet.print_title_rows == "$1:$3"
        assert worksheet.oddHeader.center.text == "社会组织排名"
        assert worksheet.oddFooter.center.text == "第 &P 页 共 &N 页"


def test_decimals_stay_numbers_shown_with_two_decimals(tmp_path):
    target = tmp_path / "book.xlsx"
    columns = [Column("Name", width=20), Column("Total", width=10, kind=DECIMAL)]

    write_workbook(target, [Sheet("甲", columns, [["a", Decimal("87.5")], ["b", None]])], title="t")

    worksheet = load_workbook(target).worksheets[0]
    cell = worksheet.cell(row=4, column=2)
    assert cell.value == 87.5
    assert cell.number_format == "0.00"
    assert worksheet.cell(row=5, column=2).value is None


def test_ranking_workbook_names_the_quarter_as_people_read_it(county, county_admin):
    ledger = build_ledger(
        "ranking", user=county_admin, params={"quarter": ["2026Q2"]}, reveal=False
    )

    assert "2026年第二季度" in ledger.title
    assert "2026Q2" not in ledger.title


def test_a_summary_sheet_writes_its_blocks_one_under_another(tmp_path):
    target = tmp_path / "book.xlsx"
    blocks = [
        Block("概况", [Column("项目"), Column("数量", kind=INTEGER)], [("参评", 5), ("排名", 4)]),
        Block("前十名", [Column("名称"), Column("总分", kind=DECIMAL)], [], empty_text="无"),
    ]
    summary = Sheet("汇总", [Column("", 20), Column("", 10)], None, blocks=iter(blocks))
    ledger = Sheet("台账", [Column("名称", 20)], [["甲"]])

    rows = write_workbook(target, [summary, ledger], title="排名", as_of=date(2026, 10, 9))

    assert rows == 1  # summary rows are not data rows
    worksheet = load_workbook(target)["汇总"]
    values = [list(row) for row in worksheet.iter_rows(min_row=4, values_only=True)]
    assert values == [
        ["概况", None],
        ["项目", "数量"],
        ["参评", 5],
        ["排名", 4],
        [None, None],
        ["前十名", None],
        ["名称", "总分"],
        ["无", None],
    ]
    assert worksheet["A5"].font.b and worksheet["A5"].fill.fgColor.rgb == "FFD9E1F2"
    assert worksheet.freeze_panes is None
    assert worksheet.page_setup.orientation == "landscape"


def test_an_empty_sheet_says_so_in_its_first_data_row(tmp_path):
    target = tmp_path / "book.xlsx"
    sheet = Sheet("白云乡", [Column("排名", kind=INTEGER)], [], empty_text="本季度无参与排名")

    assert write_workbook(target, [sheet], title="t") == 0

    assert load_workbook(target).worksheets[0]["A4"].value == "本季度无参与排名"


def test_wrapped_text_rows_are_as_tall_as_their_lines_and_read_from_the_top(tmp_path):
    target = tmp_path / "book.xlsx"
    columns = [Column("名称", 10), Column("说明", 12, wrap=True), Column("分", 6, kind=DECIMAL)]
    rows = [["甲", "第一行\n第二行\n第三行", Decimal(1)], ["乙", "短", Decimal(2)]]

    write_workbook(target, [Sheet("明细", columns, rows, header_left="平安县")], title="t")

    worksheet = load_workbook(target).worksheets[0]
    assert worksheet["B4"].alignment.wrap_text and worksheet["B4"].alignment.vertical == "top"
    assert worksheet["A4"].alignment.vertical == "top"
    assert worksheet["C4"].number_format == "0.00"
    assert worksheet.row_dimensions[4].height == 3 * LINE_HEIGHT
    assert worksheet.row_dimensions[5].height is None
    assert worksheet.oddHeader.left.text == "平安县"
    assert worksheet.page_setup.paperSize == 9  # A4


def test_a_sheet_without_wrapped_columns_keeps_plain_cells_and_no_left_header(tmp_path):
    target = tmp_path / "book.xlsx"

    write_workbook(target, [Sheet("甲", [Column("名称", 4)], [["很长很长的名称"]])], title="t")

    worksheet = load_workbook(target).worksheets[0]
    assert not worksheet["A4"].alignment.wrap_text
    assert worksheet.row_dimensions[3].height is None
    assert not worksheet.oddHeader.left.text


def test_text_lines_count_chinese_characters_double():
    assert text_lines("abcd", 5) == 1
    assert text_lines("一二三", 5) == 2
    assert text_lines("一\n二", 40) == 2
