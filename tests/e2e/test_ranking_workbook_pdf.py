"""The ranking workbook printed: LibreOffice turns it into a PDF as a printer would see it.

A county of 65 organisations (the hand-built ranking plus 60 more) is exported as the county
admin would, converted with `soffice --headless --convert-to pdf`, and read back with
poppler's pdftotext and pdfinfo: the title, the quarter and the county on every page, the
"第 1 页 共 N 页" footer, landscape pages, and every ranking page one page wide (a page that
shows the rank column also shows the total and the note: no page holds a right-hand slice of
the columns). The pages are saved as PNG under tests/e2e/screenshots for a person to look at.
A missing LibreOffice or poppler fails the test: CI installs them (.ci/run).
"""

import datetime
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.e2e.conftest import SCREENSHOTS
from tests.scoring.workbook_county import COUNTY_NAME, build_ranked_county, ranking_workbook_bytes

pytestmark = pytest.mark.e2e

TITLE = "平安县社会组织季度积分排名 · 2026年第三季度"
EXTRA = 60
TIMEOUT = 180
EXPORTED_AT = datetime.datetime(2026, 10, 9, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: apt-get install -y libreoffice-calc poppler-utils")
    return path


def run(*args: str, timeout: int = 60) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=True)
    return done.stdout


def convert_to_pdf(workbook: Path) -> Path:
    profile = workbook.parent / f"lo-{uuid.uuid4().hex}"
    run(
        tool("soffice"),
        "--headless",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(workbook.parent),
        str(workbook),
        timeout=TIMEOUT,
    )
    pdf = workbook.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def pages_of(pdf: Path) -> list[str]:
    text = run(tool("pdftotext"), "-layout", str(pdf), "-")
    return text.split("\f")[:-1]


def sheet_of(page: str) -> str:
    """The sheet a page belongs to: the title line repeated on top of every page."""
    match = re.search(re.escape(TITLE) + r" · (\S+)", page)
    return match.group(1) if match else ""


def test_the_ranking_workbook_prints_landscape_one_page_wide_with_titles_and_page_numbers(
    county, county_admin, settings, tmp_path
):
    # Given a county of 65 scored organisations, exported as the county admin sees it
    settings.COUNTY_NAME = COUNTY_NAME
    build_ranked_county(county, extra=EXTRA)
    workbook = tmp_path / "ranking.xlsx"
    with time_machine.travel(EXPORTED_AT, tick=False):
        workbook.write_bytes(ranking_workbook_bytes(county_admin))

    # When LibreOffice prints it to PDF
    pdf = convert_to_pdf(workbook)

    # Then every page is landscape, headed with the county and the title, and numbered
    info = run(tool("pdfinfo"), str(pdf))
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595), info  # A4 landscape
    pages = pages_of(pdf)
    assert len(pages) == count
    assert "2026年第三季度" in pages[0]
    assert re.search(r"第 1 页 共 \d+ 页", pages[0]), pages[0][-300:]
    for page in pages:
        assert COUNTY_NAME in page
        assert TITLE in page
        assert re.search(r"第 \d+ 页 共 \d+ 页", page)
    sheets = [sheet_of(page) for page in pages]
    assert sheets[0] == "汇总"
    # The county ranking needs two pages or more, and each of its pages is one page wide
    assert sheets.count("全县") >= 2
    ranking_pages = [
        page for page, sheet in zip(pages, sheets, strict=True) if sheet not in ("汇总", "明细")
    ]
    assert {sheet for sheet in sheets if sheet} >= {
        "全县",
        "文体娱乐类",
        "公益慈善类",
        "城关街道",
        "青山镇",
        "白云乡",
        "明细",
    }
    for page in ranking_pages:
        assert "排名" in page and "总分" in page and "备注" in page, page[:400]
    assert "本季度无参与排名的社会组织" in pages[sheets.index("白云乡")]
    for page in (page for page, sheet in zip(pages, sheets, strict=True) if sheet == "明细"):
        assert "社会组织" in page and "得分说明" in page
    # No more county pages than its rows need at a legible scale (about 30 rows a page)
    assert sheets.count("全县") <= (EXTRA + 5) // 20 + 1

    # And the pages are kept as pictures for a person to look at
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("ranking-workbook-*.png"):
        old.unlink()
    run(tool("pdftoppm"), "-r", "60", "-png", str(pdf), str(SCREENSHOTS / "ranking-workbook"))
    shutil.copy(pdf, SCREENSHOTS / "ranking-workbook.pdf")
    assert len(list(SCREENSHOTS.glob("ranking-workbook-*.png"))) == count
