"""Uploads refused before openpyxl parses them, and limits enforced while reading."""

import struct
import time
import zipfile
from io import BytesIO

import pytest

from exports.importing import safety
from exports.importing.reader import ReadRefused, read_workbook
from tests.exports.test_imports import ORG_HEADERS, org_rows, workbook_bytes


def small_xlsx() -> bytes:
    return workbook_bytes({"社会组织": (ORG_HEADERS, org_rows(2))})


def refused(name: str, content: bytes) -> str:
    with pytest.raises(safety.UploadRefused) as caught:
        safety.check_upload(name, BytesIO(content), len(content))
    return caught.value.message


def rezip(entries: dict[str, bytes], level=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", level) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(small_xlsx())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_a_real_workbook_passes(db):
    content = small_xlsx()
    safety.check_upload("台账.xlsx", BytesIO(content), len(content))


@pytest.mark.parametrize("name", ["台账.xls", "台账.csv", "台账.xlsx.exe", "台账"])
def test_wrong_extension_is_refused(name):
    assert "只能导入 Excel 工作簿" in refused(name, small_xlsx())


def test_content_that_is_not_a_zip_is_refused_by_its_magic_bytes():
    assert "不是有效的 Excel 工作簿" in refused(
        "台账.xlsx", "名称,社区\n书画协会,幸福社区\n".encode()
    )


def test_an_old_xls_renamed_to_xlsx_is_refused_with_a_hint():
    content = safety.OLE_MAGIC + b"\x00" * 600
    assert "旧版 .xls" in refused("台账.xlsx", content)


def test_a_zip_that_is_not_a_workbook_is_refused():
    assert "不是有效的 Excel 工作簿" in refused("台账.xlsx", rezip({"readme.txt": b"hello"}))


def test_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1000
    message = refused("台账.xlsx", small_xlsx())
    assert "一次最多导入" in message


def test_empty_file_is_refused():
    assert "文件是空的" in refused("台账.xlsx", b"")


def _declare_size(content: bytes, entry: str, size: int) -> bytes:
    """Patch the central directory so `entry` declares `size` uncompressed bytes."""
    data = bytearray(content)
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        name = bytes(data[offset + 46 : offset + 46 + name_length]).decode()
        if name == entry:
            struct.pack_into("<I", data, offset + 24, size)
            return bytes(data)
        offset = data.find(b"PK\x01\x02", offset + 4)
    raise AssertionError(entry)


def test_a_bomb_like_workbook_declaring_a_huge_size_is_refused_fast():
    # given a 6 KB workbook whose sheet declares 3.9 GB once unpacked
    crafted = _declare_size(small_xlsx(), "xl/worksheets/sheet1.xml", 0xF0000000)
    assert len(crafted) < 20_000
    # when it is checked
    started = time.perf_counter()
    message = refused("台账.xlsx", crafted)
    # then it is refused before anything is inflated, in well under a second
    assert time.perf_counter() - started < 0.5
    assert "解压后将达到" in message or "压缩比" in message


def test_a_highly_compressed_part_is_refused():
    entries = xlsx_entries()
    entries["xl/worksheets/sheet1.xml"] = b"<c/>" * 5_000_000  # 20 MB that deflates to ~20 KB
    message = refused("台账.xlsx", rezip(entries))
    assert "压缩比" in message


def test_declared_total_over_the_limit_is_refused(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 10_000
    assert "解压后将达到" in refused("台账.xlsx", small_xlsx())


def test_too_many_entries_are_refused(settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 50
    entries = xlsx_entries()
    entries.update({f"xl/media/image{i}.png": b"x" for i in range(50)})
    assert "内部包含" in refused("台账.xlsx", rezip(entries))


@pytest.mark.parametrize(
    "path", ["../../etc/cron.d/evil", "/etc/passwd", "xl\\..\\evil.xml", "C:/evil.xml"]
)
def test_suspicious_paths_are_refused(path):
    entries = xlsx_entries()
    entries[path] = b"x"
    assert "路径可疑" in refused("台账.xlsx", rezip(entries))


def test_too_many_rows_are_refused_while_reading(settings):
    settings.IMPORT_MAX_ROWS = 10
    content = workbook_bytes({"社会组织": (ORG_HEADERS, org_rows(25))})
    with pytest.raises(ReadRefused) as caught:
        read_workbook(BytesIO(content))
    # the header is row 1: the 11th data row is row 12, where reading stopped
    assert "超过10行" in caught.value.message
    assert "第12行" in caught.value.message


def test_rows_up_to_the_cap_are_read(settings):
    settings.IMPORT_MAX_ROWS = 10
    sheets, total = read_workbook(
        BytesIO(workbook_bytes({"社会组织": (ORG_HEADERS, org_rows(10))}))
    )
    assert total == 10
    assert len(sheets[0].rows) == 10


def test_openpyxl_parses_uploads_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
