"""Every exported sheet is ready to print: landscape, one page wide, head rows, page numbers."""

from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from exports.registry import build_ledger
from exports.xlsx import DECIMAL, Column, Sheet, write_workbook


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
