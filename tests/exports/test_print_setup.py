"""Every exported sheet is ready to print: landscape, one page wide, head rows, page numbers."""

from datetime import date

from openpyxl import load_workbook

from exports.xlsx import Column, Sheet, write_workbook


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
