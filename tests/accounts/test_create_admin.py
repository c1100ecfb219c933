"""The first real account (issue 13 item 21): `create_admin`, and a menu that fits the role."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.context_processors import menu_for
from accounts.management.commands import create_admin
from accounts.models import User
from accounts.roles import Role
from core.models import AuditEvent
from tests.accounts.factories import UserFactory

STRONG = "Qiang-Mima-2026-县里"
NO_ROLE = "您的账号尚未分配角色，请联系县级管理员分配。"


def run(*args, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_admin", *args, stdout=out)
    return out.getvalue()


def test_create_admin_makes_a_county_administrator_who_can_log_in(db, client, monkeypatch):
    output = run(
        "--username", "wangjg", "--name", "王建国", "--password-stdin",
        stdin=STRONG + "\n", monkeypatch=monkeypatch,
    )  # fmt: skip

    user = User.objects.get(username="wangjg")
    assert output.strip() == "已创建县级管理员“wangjg”（王建国）：请在 /accounts/login/ 登录。"
    assert (user.role, user.name, user.is_staff, user.is_superuser) == (
        Role.COUNTY_ADMIN, "王建国", True, True,
    )  # fmt: skip
    assert user.check_password(STRONG)
    assert AuditEvent.objects.filter(action="accounts.create_admin", object_id=str(user.pk))
    login = client.post(reverse("accounts:login"), {"username": "wangjg", "password": STRONG})
    assert login.status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert NO_ROLE not in home
    assert "县级管理员" in home
    assert [entry["url_name"] for entry in menu_for(user)] == [
        entry["url_name"] for entry in menu_for(UserFactory(role=Role.COUNTY_ADMIN))
    ]


def test_password_from_the_environment_without_input(db, monkeypatch):
    monkeypatch.setenv(create_admin.PASSWORD_ENV, STRONG)

    run("--username", "admin2", "--name", "李四", "--no-input")

    assert User.objects.get(username="admin2").check_password(STRONG)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "密码太短：请至少使用 12 个字符。"),
        ("123456789012345", "密码只包含数字。"),
        ("password1234", "这个密码太常见了。"),
    ],
)
def test_weak_passwords_are_refused_with_the_validators_chinese_messages(
    db, monkeypatch, password, message
):
    with pytest.raises(CommandError) as raised:
        run(
            "--username", "weak", "--name", "王五", "--password-stdin",
            stdin=password + "\n", monkeypatch=monkeypatch,
        )  # fmt: skip

    assert str(raised.value).startswith("密码未被接受：")
    assert message in str(raised.value)
    assert not User.objects.filter(username="weak").exists()


def test_a_taken_username_and_a_missing_password_are_refused(db, monkeypatch):
    UserFactory(username="taken")
    monkeypatch.delenv(create_admin.PASSWORD_ENV, raising=False)

    with pytest.raises(CommandError, match="已存在名为“taken”的账号。"):
        run("--username", "taken", "--name", "王五", "--no-input")
    with pytest.raises(CommandError) as raised:
        run("--username", "fresh", "--name", "王五", "--no-input")

    assert str(raised.value) == str(create_admin.NO_PASSWORD)
    assert str(raised.value).startswith("未提供密码")


def test_a_superuser_made_by_createsuperuser_is_a_county_administrator_everywhere(db, client):
    call_command(
        "createsuperuser", "--noinput", "--username", "root", "--email", "root@example.com"
    )
    user = User.objects.get(username="root")
    user.set_password(STRONG)
    user.save()
    client.force_login(user)

    home = client.get(reverse("home")).content.decode()

    assert user.role == ""
    assert user.effective_role == Role.COUNTY_ADMIN
    # The role shown agrees with the menu shown: no "no role" message beside a full menu.
    assert NO_ROLE not in home
    assert "无角色" not in home
    assert "县级管理员" in home
    assert reverse("dashboards:overview") in home
    assert client.get(reverse("orgs:organization_list")).status_code == 200


def test_an_account_without_a_role_gets_no_menu_and_the_no_role_message(db, client):
    user = UserFactory(username="norole", role="")
    client.force_login(user)

    home = client.get(reverse("home")).content.decode()

    assert menu_for(user) == []
    assert NO_ROLE in home
    assert reverse("dashboards:overview") not in home
    assert reverse("orgs:organization_list") not in home


def test_a_bad_username_is_refused_with_the_models_message_not_as_a_weak_password(db, monkeypatch):
    monkeypatch.setenv(create_admin.PASSWORD_ENV, STRONG)

    with pytest.raises(CommandError) as raised:
        run("--username", "bad name!", "--name", "王五", "--no-input")

    assert not str(raised.value).startswith("密码未被接受")
    assert not User.objects.filter(name="王五").exists()
