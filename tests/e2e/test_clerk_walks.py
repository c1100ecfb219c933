"""The clerks' main tasks on a desk (1366 × 900) and on a phone (390 × 844).

Finding organisations in the ledger (two-word search, labelled filters kept in the URL, pinyin
order), telling two organisations of the same name apart in the search-as-you-type picker,
reading an organisation's page (paged and searchable members, folding sections) and printing its
record to A4, and the date fields. On the phone nothing scrolls sideways: wide tables sit in
their own scroll container (.table-responsive), the page itself never widens.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from orgs.models import Merge, Organization
from tests.accounts.factories import PASSWORD, UserFactory
from tests.orgs.factories import (
    CategoryFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desk": (1366, 900), "phone": (390, 844)}
PDFTOTEXT = "/usr/bin/pdftotext"


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, page):
    width, height = VIEWPORTS[request.param]
    page.set_viewport_size({"width": width, "height": height})
    return request.param


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


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

    if screen == "phone":
        # The list is a table on every screen: on a phone it scrolls inside its own box.
        assert_tables_scroll_in_their_own_box(page, "[data-testid=organization-table]")
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
    search.fill("")
    search.press_sequentially("同心", delay=30)
    expect(page.get_by_label("存续社会组织").locator("option")).to_have_text(
        ["请选择", "同心志愿服务队（城关街道·幸福社区）", "同心志愿服务队（青山镇·王家村）"]
    )
    assert_no_horizontal_scroll(page)
    screenshot(f"clerk-picker-after-merge-{screen}")
