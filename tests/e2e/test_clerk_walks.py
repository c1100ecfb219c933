"""The clerks' main tasks on a desk (1366 × 900) and on a phone (390 × 844).

Finding organisations in the ledger (two-word search, labelled filters kept in the URL, pinyin
order), telling two organisations of the same name apart in the search-as-you-type picker,
reading an organisation's page (paged and searchable members, folding sections) and printing its
record to A4, and the date fields. On the phone nothing scrolls sideways: wide tables sit in
their own scroll container (.table-responsive), the page itself never widens.
"""

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from orgs.models import AnnualInspection, Merge, Organization
from orgs.services.organizations import organization_update
from orgs.services.oversight import inspection_record
from tests.accounts.factories import UserFactory
from tests.e2e.browser import log_in
from tests.orgs.factories import (
    CategoryFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.e2e

MAX_CARD_HEIGHT = 200
PDFTOTEXT = "/usr/bin/pdftotext"


def assert_no_horizontal_scroll(page):
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1"), (
        page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    )


def assert_tables_scroll_in_their_own_box(page, selector):
    """Every visible table under `selector` sits in a box that scrolls sideways by itself."""
    tables = page.locator(f"{selector} table:visible")
    assert tables.count() > 0
    for index in range(tables.count()):
        assert tables.nth(index).evaluate(
            """table => {
                const box = table.closest('.table-responsive');
                return box !== null && getComputedStyle(box).overflowX === 'auto'
                    && box.getBoundingClientRect().right <= window.innerWidth + 1;
            }"""
        )


@pytest.fixture
def county_admin_user(county):
    return UserFactory(username="zhao", name="赵建华", role=Role.COUNTY_ADMIN)


@pytest.fixture
def township_clerk(county):
    return UserFactory(
        username="li", name="李秀兰", role=Role.TOWNSHIP_STAFF, township=county.township_a
    )


# --- 1. The organisation list --------------------------------------------------------------


@pytest.fixture
def osmanthus_ledger(county):
    """Organisations around "桂花 书画": only four match the search, category and township."""
    culture = CategoryFactory(name="文体娱乐类")
    charity = CategoryFactory(name="公益慈善类")
    a1, a2, b1 = county.community_a1, county.community_a2, county.community_b1
    # Created out of pinyin order (and in code-point order 北 < 常 < 张 < 阿).
    for name, community in [
        ("张家巷桂花书画组", a2),
        ("北街桂花书画协会", a2),
        ("阿苑桂花书画社", a1),
        ("常青桂花书画院", a1),
    ]:
        OrganizationFactory(name=name, community=community, category=culture)
    OrganizationFactory(name="桂花书画志愿服务队", community=a1, category=charity)
    OrganizationFactory(name="桂花书画研究会", community=b1, category=culture)
    OrganizationFactory(name="桂花合唱团", community=a1, category=culture)
    return ["阿苑桂花书画社", "北街桂花书画协会", "常青桂花书画院", "张家巷桂花书画组"]


def listed_names(page):
    return (
        page.get_by_test_id("organization-table")
        .get_by_test_id("organization-link")
        .all_inner_texts()
    )


def test_finding_organisations_with_two_words_and_filters_kept_in_the_url(
    page, live_server, county, county_admin_user, osmanthus_ledger, screen, screenshot
):
    log_in(page, live_server, "zhao")
    page.goto(f"{live_server.url}{reverse('orgs:organization_list')}")
    table = page.get_by_test_id("organization-table")
    expect(table.get_by_test_id("organization-row")).to_have_count(10)

    # The filters are labelled fields; empty choices read 全部…/请选择, never dashes.
    search = page.get_by_label("搜索", exact=True)
    township = page.get_by_label("街道/乡镇", exact=True)
    category = page.get_by_label("类别", exact=True)
    expect(township.locator("option").first).to_have_text("全部街道/乡镇")
    expect(category.locator("option").first).to_have_text("全部类别")
    assert "---------" not in page.content()
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-org-list-{screen}")

    # Two words: only organisations holding both.
    search.press_sequentially("桂花 书画", delay=30)
    expect(table.get_by_test_id("organization-row")).to_have_count(6)
    expect(table).not_to_contain_text("桂花合唱团")
    expect(table).not_to_contain_text("幸福社区书画协会")

    category.select_option(label="文体娱乐类")
    expect(table.get_by_test_id("organization-row")).to_have_count(5)
    township.select_option(label="城关街道")
    expect(table.get_by_test_id("organization-row")).to_have_count(4)
    # Pinyin order: 阿 < 北 < 常 < 张.
    assert listed_names(page) == osmanthus_ledger
    expect(page).to_have_url(re.compile(rf"township={county.township_a.pk}"))
    expect(page).to_have_url(re.compile(r"category=\d+"))
    expect(page).to_have_url(re.compile(r"q=(%E6%A1%82%E8%8A%B1|桂花)(\+|%20)"))
    assert "---------" not in page.content()
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-org-list-filtered-{screen}")

    def filters_still_applied():
        expect(table.get_by_test_id("organization-row")).to_have_count(4)
        assert listed_names(page) == osmanthus_ledger
        expect(search).to_have_value("桂花 书画")
        expect(category.locator("option:checked")).to_have_text("文体娱乐类")
        expect(township.locator("option:checked")).to_have_text("城关街道")

    page.reload()
    filters_still_applied()

    # Open one, then come back: the list is as it was.
    table.get_by_role("link", name="常青桂花书画院").click()
    expect(page.get_by_test_id("organization-name")).to_contain_text("常青桂花书画院")
    page.go_back()
    filters_still_applied()

    rows = page.get_by_test_id("organization-row")
    if screen == "phone":
        # On a phone the rows are cards: no column heads, each card short enough to scan
        assert not page.locator("[data-testid=organization-list-table] thead").is_visible()
        assert rows.first.evaluate("row => getComputedStyle(row).display") == "block"
        heights = [rows.nth(index).bounding_box()["height"] for index in range(rows.count())]
        assert max(heights) <= MAX_CARD_HEIGHT, heights
        # each value after its column's name
        labels = rows.first.locator("td[data-label]").evaluate_all(
            "cells => cells.map(cell => getComputedStyle(cell, '::before').content)"
        )
        assert any("社区/村" in label for label in labels), labels
    else:
        assert rows.first.evaluate("row => getComputedStyle(row).display") == "table-row"
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-org-list-after-back-{screen}")


# --- 2. The organisation picker ------------------------------------------------------------


def test_the_picker_tells_namesakes_apart_and_offers_no_merged_or_deregistered_organisation(
    page, live_server, county, county_admin_user, screen, screenshot
):
    in_town = OrganizationFactory(name="同心志愿服务队", community=county.community_a1)
    in_village = OrganizationFactory(name="同心志愿服务队", community=county.community_b1)
    OrganizationFactory(
        name="同心志愿服务队老年分队",
        community=county.community_a2,
        status=Organization.Status.DEREGISTERED,
    )
    merge_url = f"{live_server.url}{reverse('orgs:merge_create')}"

    log_in(page, live_server, "zhao")
    page.goto(merge_url)
    form = page.get_by_test_id("merge-selection")
    form.get_by_test_id("organization-search").press_sequentially("同心志愿", delay=30)
    survivor = page.get_by_label("存续社会组织")
    options = survivor.locator("option")
    expect(options).to_have_text(
        ["请选择", "同心志愿服务队（城关街道·幸福社区）", "同心志愿服务队（青山镇·王家村）"]
    )
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-picker-namesakes-{screen}")

    survivor.select_option(label="同心志愿服务队（青山镇·王家村）")
    page.get_by_label("并入的社会组织").select_option(label="王家村秧歌队（青山镇·王家村）")
    form.get_by_role("button", name="预览合并").click()

    # The preview carries the chosen one, not its namesake in 城关街道.
    confirm = page.get_by_test_id("merge-confirm")
    expect(confirm.locator("input[name=survivor]")).to_have_value(str(in_village.pk))
    expect(page.get_by_test_id("merge-preview")).to_contain_text("王家村秧歌队")
    confirm.locator("textarea[name=reason]").fill("两支队伍活动地点相同，成员重叠")
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-merge-preview-{screen}")
    page.get_by_test_id("confirm-merge").click()

    expect(page.locator(".alert-success")).to_contain_text("同心志愿服务队")
    merge = Merge.objects.get()
    assert merge.survivor_id == in_village.pk
    assert list(merge.merged.values_list("pk", flat=True)) == [county.org_b1.pk]
    in_town.refresh_from_db()
    assert in_town.status == Organization.Status.NORMAL

    # Now merged, 王家村秧歌队 is no longer offered; nor is the deregistered one.
    page.goto(merge_url)
    search = page.get_by_test_id("merge-selection").get_by_test_id("organization-search")
    search.press_sequentially("秧歌", delay=30)
    expect(page.get_by_label("存续社会组织").locator("option")).to_have_text(["请选择"])
    search.fill("同心")  # one input event: htmx drops a request fired while one is in flight
    expect(page.get_by_label("存续社会组织").locator("option")).to_have_text(
        ["请选择", "同心志愿服务队（城关街道·幸福社区）", "同心志愿服务队（青山镇·王家村）"]
    )
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-picker-after-merge-{screen}")


# --- 3. The organisation page and its printed record ----------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙"
GIVEN_NAMES = ["秀英", "桂兰", "建国", "淑珍", "志强", "玉梅", "海燕", "国华"]
MEMBERS = 23  # more than one page of 20


@pytest.fixture
def calligraphy_society(county, county_admin_user, township_clerk):
    """幸福社区书画协会 with 23 members, an annual inspection and a change in its history."""
    organization = county.org_a1
    for number in range(MEMBERS - 1):
        person = PersonFactory(
            name=SURNAMES[number % len(SURNAMES)] + GIVEN_NAMES[number % len(GIVEN_NAMES)],
            mobile=f"1381234{number:04d}",
        )
        MembershipFactory(person=person, organization=organization)
    searched = PersonFactory(name="欧阳明月", mobile="13900001111")
    MembershipFactory(person=searched, organization=organization, role="core")
    inspection_record(
        actor=county_admin_user,
        organization=organization,
        year=2025,
        conclusion=AnnualInspection.Conclusion.PASSED,
        inspected_on=datetime.date(2026, 4, 10),
        notes="材料齐全",
    )
    organization_update(actor=township_clerk, organization=organization, needs="缺少排练场地")
    return organization


def test_reading_an_organisation_and_printing_its_record(
    page, live_server, county, township_clerk, calligraphy_society, screen, screenshot, tmp_path
):
    organization = calligraphy_society
    log_in(page, live_server, "li")
    page.goto(f"{live_server.url}{reverse('orgs:organization_detail', args=[organization.pk])}")
    members = page.get_by_test_id("org-members")
    rows = members.get_by_test_id("current-members").locator("tbody tr")
    expect(members.get_by_test_id("member-count")).to_have_text(str(MEMBERS))
    expect(rows).to_have_count(20)
    expect(members.get_by_test_id("member-pages")).to_contain_text("第 1 页，共 2 页")
    if screen == "phone":
        assert_tables_scroll_in_their_own_box(page, "[data-testid=org-members]")
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-org-page-{screen}")

    # Members are paged...
    members.get_by_test_id("member-pages").get_by_role("link", name="下一页").click()
    expect(members.get_by_test_id("member-pages")).to_contain_text("第 2 页，共 2 页")
    expect(rows).to_have_count(MEMBERS - 20)

    # ...and found by name.
    members.get_by_label("按姓名查找成员").fill("欧阳")
    members.get_by_role("button", name="搜索").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("欧阳明月")
    expect(rows.first).to_contain_text("139****1111")
    expect(page).to_have_url(re.compile(r"member_q=(%E6%AC%A7%E9%98%B3|欧阳)"))
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-org-member-search-{screen}")

    # Sections fold and unfold; the history starts folded.
    fold_members = page.get_by_test_id("fold-members")
    fold_members.locator("summary").click()
    expect(members).to_be_hidden()
    fold_members.locator("summary").click()
    expect(members).to_be_visible()
    history = page.get_by_test_id("history")
    expect(history).to_be_hidden()
    page.get_by_test_id("fold-history").locator("summary").click()
    expect(history).to_be_visible()
    expect(history.get_by_test_id("history-entry").first).to_contain_text("李秀兰")
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-org-sections-{screen}")

    # The printed record (一社一档): every section, all members, ID numbers masked.
    page.get_by_test_id("print-organization").click()
    record = page.get_by_test_id("organization-print")
    expect(record.get_by_test_id("organization-name")).to_have_text("幸福社区书画协会")
    headings = ["基本信息", re.compile("^成员"), "党建", "年检情况", "信用名录"]
    expect(record.locator("h2")).to_have_text([*headings, "积分与排名", "历史记录"])
    expect(record.get_by_test_id("current-members").locator("tbody tr")).to_have_count(MEMBERS)
    expect(record.get_by_test_id("member-pages")).to_have_count(0)
    expect(record.get_by_test_id("member-search")).to_have_count(0)
    expect(record.get_by_test_id("org-inspections")).to_contain_text("2025")
    expect(record.get_by_test_id("org-inspections")).to_contain_text("合格")
    text = record.inner_text()
    searched = organization.memberships.get(person__name="欧阳明月").person
    assert searched.id_number not in text
    assert searched.masked_id_number in text
    assert "13900001111" not in text
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-org-print-{screen}")

    # Printed to A4: the name is in the PDF, the screen-only links are not.
    pdf = tmp_path / "record.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = pdf_text(pdf).split("\f")
    printed = "".join(pages)
    assert len([content for content in pages if content.strip()]) >= 1
    assert "幸福社区书画协会" in printed
    assert "欧阳明月" in printed
    assert "2020-01-01" in printed  # the members' last column is not cut off
    assert "返回社会组织页面" not in printed


def pdf_text(path: Path) -> str:
    """The text of a PDF, pages separated by form feeds (pdftotext must be installed)."""
    if not Path(PDFTOTEXT).exists():
        pytest.fail(f"pdftotext is not installed at {PDFTOTEXT}: apt-get install -y poppler-utils")
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


# --- 4. Dates ------------------------------------------------------------------------------


def test_a_date_field_is_the_browsers_date_picker_holding_year_month_day(
    page, live_server, county, township_clerk, screen, screenshot
):
    organization = county.org_a1  # founded on 2015-03-01
    log_in(page, live_server, "li")
    page.goto(f"{live_server.url}{reverse('orgs:organization_update', args=[organization.pk])}")
    founded = page.get_by_label("成立日期")
    # A native date input (the browser's own picker) whose value is year-month-day, so the
    # stored date shows in it rather than an empty field.
    expect(founded).to_have_attribute("type", "date")
    expect(founded).to_have_value("2015-03-01")
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-date-field-{screen}")

    founded.fill("2019-05-04")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(rf"/orgs/{organization.pk}/$"))
    expect(page.get_by_test_id("profile")).to_contain_text("2019-05-04")
    organization.refresh_from_db()
    assert organization.founded_on == datetime.date(2019, 5, 4)
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-date-saved-{screen}")
