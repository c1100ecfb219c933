"""Logging in and out: lockout, same answer for unknown users, idle timeout, password change."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory

LOGIN_URL = reverse("accounts:login")
WRONG_CREDENTIALS = "用户名或密码不正确"
LOCKED = "登录失败次数过多"


def login(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def staff_user(db):
    return UserFactory(username="li", name="李秀兰")


def test_login_page_is_in_chinese(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"


def test_correct_password_logs_in_and_opens_the_home_page(client, staff_user):
    response = login(client, "li", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "欢迎您，李秀兰" in home.content.decode()


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, staff_user):
    wrong_password = login(client, "li", "not-the-password")
    unknown_user = login(client, "nobody", "not-the-password", ip="10.1.1.2")

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert WRONG_CREDENTIALS in wrong_password.content.decode()
    assert WRONG_CREDENTIALS in unknown_user.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, staff_user):
    for _ in range(5):
        login(client, "li", "wrong-password")

    response = login(client, "li", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "15 分钟" in page
    assert SESSION_KEY not in client.session


def test_lockout_follows_the_username_to_another_address(client, staff_user):
    for attempt in range(5):
        login(client, "li", "wrong-password", ip=f"10.2.0.{attempt}")

    response = login(client, "li", PASSWORD, ip="10.9.9.9")

    assert response.status_code == 429


def test_five_made_up_usernames_do_not_lock_a_real_user_behind_the_same_address(client, staff_user):
    # An office behind one NAT: a colleague mistypes usernames five times.
    for attempt in range(5):
        login(client, f"guess{attempt}", "wrong-password", ip="10.3.3.3")

    response = login(client, "li", PASSWORD, ip="10.3.3.3")

    assert response.status_code == 302


@pytest.mark.parametrize(("failures", "expected"), [(49, 302), (50, 429)])
def test_fifty_failures_from_one_address_lock_the_address_for_everyone(
    failures, expected, client, staff_user
):
    for attempt in range(failures):
        login(client, f"guess{attempt}", "wrong-password", ip="10.3.3.3")

    response = login(client, "li", PASSWORD, ip="10.3.3.3")

    assert response.status_code == expected
    assert (LOCKED in response.content.decode()) is (expected == 429)


def test_an_address_lock_does_not_follow_the_user_elsewhere(client, staff_user):
    for attempt in range(50):
        login(client, f"guess{attempt}", "wrong-password", ip="10.3.3.3")

    response = login(client, "li", PASSWORD, ip="10.4.4.4")

    assert response.status_code == 302


def test_the_address_lock_ends_after_the_cool_off(client, staff_user):
    for attempt in range(50):
        login(client, f"guess{attempt}", "wrong-password", ip="10.3.3.3")

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = login(client, "li", PASSWORD, ip="10.3.3.3")

    assert response.status_code == 302


def test_unknown_usernames_are_locked_like_real_ones(client, db):
    for _ in range(5):
        login(client, "nobody", "wrong-password")

    response = login(client, "nobody", "wrong-password", ip="10.8.8.8")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_lock_ends_after_the_cool_off(client, staff_user):
    for _ in range(5):
        login(client, "li", "wrong-password")

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = login(client, "li", PASSWORD)

    assert response.status_code == 302


def test_four_failures_then_success_resets_the_count(client, staff_user):
    for _ in range(4):
        login(client, "li", "wrong-password")
    assert login(client, "li", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    for _ in range(4):
        login(client, "li", "wrong-password")

    assert login(client, "li", PASSWORD).status_code == 302


def test_session_ends_after_30_idle_minutes(client, staff_user):
    login(client, "li", PASSWORD)
    assert client.get(reverse("home")).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31)):
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_logout_needs_post_and_ends_the_session(client, staff_user):
    login(client, "li", PASSWORD)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_refuses_short_and_common_passwords(client, staff_user):
    login(client, "li", PASSWORD)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "密码太短：请至少使用 12 个字符。" in page
    assert "这个密码太常见了。" in page


def test_password_change_ends_every_session_of_the_user(staff_user):
    phone, desk = Client(), Client()
    login(phone, "li", PASSWORD)
    login(desk, "li", PASSWORD, ip="10.1.1.9")
    new_password = "Brand-New-Passphrase-42"

    response = desk.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert desk.get(reverse("home")).status_code == 302
    assert phone.get(reverse("home")).status_code == 302
    assert login(Client(), "li", new_password).status_code == 302


def test_csrf_is_enforced_on_login_and_forms(staff_user, county_admin):
    strict = Client(enforce_csrf_checks=True)

    assert login(strict, "li", PASSWORD).status_code == 403
    strict.force_login(county_admin)
    response = strict.post(
        reverse("areas:township_create"),
        {"name": "新区街道", "kind": "street", "code": "990101099"},
    )
    assert response.status_code == 403
