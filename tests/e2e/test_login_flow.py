"""Tried as a new user would: a secretary logs in, sees the Chinese home page, logs out."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_secretary_logs_in_sees_chinese_home_and_logs_out(page, live_server, county, screenshot):
    UserFactory(username="zhang", name="张丽华", role=Role.SECRETARY, community=county.community_a1)

    log_in(page, live_server, "zhang", PASSWORD)

    expect(page.get_by_test_id("welcome")).to_have_text("欢迎您，张丽华")
    expect(page.get_by_test_id("who")).to_contain_text("社区书记")
    expect(page.get_by_test_id("who")).to_contain_text("幸福社区")
    menu = page.get_by_test_id("menu")
    menu.get_by_role("button", name="行政区划").click()
    expect(menu.get_by_role("link", name="社区/村")).to_be_visible()
    screenshot("secretary-home")

    page.get_by_role("button", name="退出登录").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto(f"{live_server.url}/areas/communities/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_wrong_password_shows_a_chinese_error(page, live_server, county):
    UserFactory(username="wang", role=Role.OFFICIAL)

    log_in(page, live_server, "wang", "not-my-password")

    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")


def test_phone_sized_screen_collapses_the_menu(page, live_server, county, screenshot):
    UserFactory(username="li", name="李秀兰", role=Role.TOWNSHIP_STAFF, township=county.township_a)
    page.set_viewport_size({"width": 375, "height": 740})

    log_in(page, live_server, "li", PASSWORD)

    expect(page.get_by_test_id("welcome")).to_be_visible()
    expect(page.get_by_test_id("menu")).to_be_hidden()
    page.get_by_role("button", name="展开/收起菜单").click()
    expect(page.get_by_test_id("menu")).to_be_visible()
    screenshot("township-staff-phone-menu")
