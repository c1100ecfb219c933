"""visible_to / editable_by: the one place where role and area decide what a user gets."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User
from accounts.roles import Role
from areas.models import Community, Township
from orgs.models import Organization
from tests.accounts.factories import UserFactory

# persona -> names of the rows of each model it sees
VISIBLE = {
    "county_admin": {
        "township": {"城关街道", "青山镇"},
        "community": {"幸福社区", "和平社区", "王家村"},
        "organization": {"幸福社区书画协会", "和平社区广场舞队", "王家村秧歌队"},
    },
    "official": {
        "township": {"城关街道", "青山镇"},
        "community": {"幸福社区", "和平社区", "王家村"},
        "organization": {"幸福社区书画协会", "和平社区广场舞队", "王家村秧歌队"},
    },
    "township_staff": {
        "township": {"城关街道"},
        "community": {"幸福社区", "和平社区"},
        "organization": {"幸福社区书画协会", "和平社区广场舞队"},
    },
    "secretary": {
        "township": {"城关街道"},
        "community": {"幸福社区"},
        "organization": {"幸福社区书画协会"},
    },
    "org_contact": {
        "township": {"城关街道"},
        "community": {"幸福社区"},
        "organization": {"幸福社区书画协会"},
    },
}
# persona -> names of the organisations it may change (areas are county admin's only)
EDITABLE_ORGANIZATIONS = {
    "county_admin": {"幸福社区书画协会", "和平社区广场舞队", "王家村秧歌队"},
    "official": set(),
    "township_staff": {"幸福社区书画协会", "和平社区广场舞队"},
    "secretary": set(),
    "org_contact": set(),
}
MODELS = {"township": Township, "community": Community, "organization": Organization}


def names(queryset):
    return {row.name for row in queryset}


@pytest.mark.parametrize("persona", list(VISIBLE), indirect=True)
@pytest.mark.parametrize("model", list(MODELS))
def test_each_role_sees_its_own_area_only(persona, model, county):
    visible = MODELS[model].objects.visible_to(persona)

    assert names(visible) == VISIBLE[persona.username][model]


@pytest.mark.parametrize("persona", list(EDITABLE_ORGANIZATIONS), indirect=True)
def test_each_role_changes_only_what_it_may(persona, county):
    assert (
        names(Organization.objects.editable_by(persona)) == EDITABLE_ORGANIZATIONS[persona.username]
    )


@pytest.mark.parametrize("persona", list(VISIBLE), indirect=True)
def test_only_the_county_admin_may_change_areas(persona, county):
    expected = 2 if persona.username == "county_admin" else 0

    assert Township.objects.editable_by(persona).count() == expected


@pytest.mark.parametrize(
    "user_factory",
    [
        pytest.param(lambda: AnonymousUser(), id="anonymous"),
        pytest.param(lambda: UserFactory(role=""), id="no-role"),
        pytest.param(lambda: UserFactory(role=Role.COUNTY_ADMIN, is_active=False), id="inactive"),
    ],
)
def test_scoping_fails_closed(user_factory, county):
    user = user_factory()

    for model in MODELS.values():
        assert not model.objects.visible_to(user).exists()
        assert not model.objects.editable_by(user).exists()


def test_superuser_without_role_sees_and_changes_everything(county):
    root = UserFactory(role="", is_superuser=True)

    assert Organization.objects.visible_to(root).count() == 3
    assert Organization.objects.editable_by(root).count() == 3


@pytest.mark.parametrize(
    ("role", "missing"),
    [
        (Role.TOWNSHIP_STAFF, "township"),
        (Role.SECRETARY, "community"),
        (Role.ORG_CONTACT, "organization"),
    ],
)
def test_a_local_role_without_its_area_is_refused(role, missing, db):
    user = User(username=f"no-{missing}", role=role)

    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert missing in error.value.message_dict

    with pytest.raises(IntegrityError):
        user.save()


def test_a_scope_is_narrow_unless_it_reaches_every_county(county, county_admin, township_staff):
    from accounts.scoping import scope_for

    everywhere = UserFactory(role=Role.COUNTY_ADMIN)  # no county, no city: every county

    assert scope_for(county_admin).narrow
    assert scope_for(township_staff).narrow
    assert not scope_for(everywhere).narrow
