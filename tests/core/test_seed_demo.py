from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from areas.models import Community, Township
from orgs.models import Organization


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        list(Township.objects.order_by("code").values_list("name", "code")),
        list(Community.objects.order_by("code").values_list("name", "code", "township__code")),
        list(User.objects.order_by("username").values_list("username", "role", "name")),
    )


def test_demo_county_has_every_role_and_prints_the_logins(db):
    output = seed()

    assert Township.objects.count() == 20
    assert 250 <= Community.objects.count() <= 350
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for username in ("admin", "township", "secretary", "official", "contact"):
        assert username in output
    assert "Registry-Demo-2026" in output
    for user in User.objects.all():
        user.full_clean()


def test_demo_is_deterministic_for_a_seed(db):
    seed("--seed", "7")
    first = snapshot()
    User.objects.all().delete()
    Organization.objects.all().delete()
    Community.objects.all().delete()
    Township.objects.all().delete()

    seed("--seed", "7")

    assert snapshot() == first


def test_demo_refuses_a_database_with_data_but_if_empty_skips(db):
    seed()
    before = snapshot()

    with pytest.raises(CommandError, match="演示数据只能加载到空数据库"):
        seed()
    output = seed("--if-empty")

    assert "跳过" in output
    assert snapshot() == before
