"""python manage.py export_ledger: the same writer, synchronously, with Chinese errors."""

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.exports.factories import EXPORT_ID_NUMBER, export_ledger_records


@pytest.mark.parametrize(
    ("kind", "extra"),
    [("orgs", []), ("members", []), ("ranking", ["--quarter", "2026Q2"]), ("awards", [])],
)
def test_command_writes_the_ledger(kind, extra, county, tmp_path):
    export_ledger_records(county)
    out = tmp_path / f"{kind}.xlsx"

    call_command("export_ledger", "--kind", kind, "--out", str(out), *extra)

    workbook = openpyxl.load_workbook(out)
    assert workbook.worksheets[0]["A2"].value.startswith("截至")
    assert workbook.worksheets[0].max_row > 3


def test_command_masks_ids_unless_asked(county, tmp_path):
    export_ledger_records(county)
    masked, full = tmp_path / "m.xlsx", tmp_path / "f.xlsx"

    call_command("export_ledger", "--kind", "members", "--out", str(masked))
    call_command("export_ledger", "--kind", "members", "--out", str(full), "--unmasked")

    def values(path):
        sheet = openpyxl.load_workbook(path).worksheets[0]
        return {cell.value for row in sheet.iter_rows() for cell in row}

    assert EXPORT_ID_NUMBER not in values(masked)
    assert EXPORT_ID_NUMBER in values(full)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "people"], "未知的台账类型 people"),
        (["--kind", "ranking", "--quarter", "2026Q5"], "季度格式应为 2026Q3"),
        (["--kind", "awards", "--year", "26"], "年份请写四位数字"),
    ],
)
def test_command_refuses_bad_input_in_chinese(args, message, db, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("export_ledger", *args, "--out", str(tmp_path / "x.xlsx"))

    assert message in str(error.value)
    assert not (tmp_path / "x.xlsx").exists()
