"""Every record has its initial history row: seeding, bulk writes, the data migrations.

Issue 13 item 2: the first edit of a seeded organisation showed "已保存，无字段变化".
"""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from core.history import tracked_models, write_initial_history
from orgs.models import Membership, Organization, Person
from orgs.selectors.organizations import organization_history
from scoring.services.schemes import ensure_scheme
from tests.orgs.factories import make_id_number
from tests.orgs.test_organization_views import detail_url, form_data, update_url

NEEDS = str(Organization._meta.get_field("needs").verbose_name)


def initial_rows_missing(model) -> int:
    """How many rows of the model have no "+" history row."""
    with_initial = model.history.filter(history_type="+").values("id")
    return model.objects.exclude(pk__in=with_initial).count()


@pytest.mark.django_db
def test_seeded_organization_first_edit_shows_old_and_new_value(client):
    call_command("seed_demo", stdout=StringIO())
    for model in tracked_models():
        if model.objects.exists():
            assert initial_rows_missing(model) == 0, model
    organization = Organization.objects.filter(status=Organization.Status.NORMAL).exclude(needs="")
    organization = organization.order_by("pk").first()
    old_needs = organization.needs
    client.force_login(User.objects.get(username="admin"))

    response = client.post(
        update_url(organization), form_data(organization, needs="需要排练场地，缺少音响")
    )

    assert response.status_code == 302
    response = client.get(detail_url(organization))
    newest = response.context["history_entries"][0]
    assert newest["kind"] == "changed"
    assert newest["changes"] == [
        {"field": NEEDS, "old": old_needs, "new": "需要排练场地，缺少音响"}
    ]
    assert not newest["earlier_unrecorded"]
    assert response.context["history_entries"][1]["kind"] == "created"


def bulk_organizations(county, count=3):
    return Organization.objects.bulk_create(
        Organization(name=f"批量社团{i}", community=county.community_a1, needs="缺少场地")
        for i in range(count)
    )


@pytest.mark.parametrize(
    ("app", "migration"),
    [
        ("orgs", "0004_initial_history"),
        ("party_branches", "0003_initial_history"),
        ("scoring", "0002_initial_history"),
    ],
)
def test_data_migration_gives_rows_without_history_their_initial_row(county, app, migration):
    organizations = bulk_organizations(county)
    people = Person.objects.bulk_create(
        Person(name=f"居民{i}", id_number=make_id_number(300 + i), community=county.community_a1)
        for i in range(2)
    )
    Membership.objects.bulk_create(
        Membership(organization=organizations[0], person=person, joined_on="2024-01-01")
        for person in people
    )
    ensure_scheme(2031)
    module = importlib.import_module(f"{app}.migrations.{migration}")
    models = [apps.get_model(app, name) for name in module.TRACKED]
    if app == "orgs":
        assert all(initial_rows_missing(model) > 0 for model in models)
    with_history = {model: model.history.count() for model in models}

    module.write_initial_rows(apps, None)

    for model in models:
        assert initial_rows_missing(model) == 0, model
        assert model.history.count() >= with_history[model]
    # a second run has nothing left to write
    counts = {model: model.history.count() for model in models}
    module.write_initial_rows(apps, None)
    assert counts == {model: model.history.count() for model in models}


def test_initial_row_holds_the_record_as_it_was(county):
    (organization,) = bulk_organizations(county, 1)
    organization = Organization.objects.get(pk=organization.pk)

    assert write_initial_history(Organization) == 1  # the factories' rows have theirs

    initial = organization.history.get()
    assert initial.history_type == "+"
    assert initial.needs == "缺少场地"
    assert initial.history_date == organization.created_at
    assert initial.history_user is None


def test_an_edit_without_an_earlier_record_shows_the_saved_values(county, county_admin, client):
    (organization,) = bulk_organizations(county, 1)
    organization = Organization.objects.get(pk=organization.pk)
    client.force_login(county_admin)

    client.post(update_url(organization), form_data(organization, needs="缺少经费"))

    (entry,) = organization_history(organization=organization)
    assert entry["kind"] == "changed"
    assert entry["earlier_unrecorded"]
    changes = {change["field"]: (change["old"], change["new"]) for change in entry["changes"]}
    assert changes[NEEDS] == ("", "缺少经费")
    assert changes[str(Organization._meta.get_field("name").verbose_name)] == ("", "批量社团0")
    page = client.get(reverse("orgs:organization_detail", kwargs={"pk": organization.pk}))
    assert 'data-testid="history-unrecorded"' in page.content.decode()


def test_a_new_scheme_writes_the_history_of_its_rules(db):
    from scoring.models import Rule
    from tests.areas.factories import CountyFactory

    scheme = ensure_scheme(2031, county=CountyFactory())

    rules = Rule.objects.filter(scheme=scheme)
    assert rules.exists()
    assert initial_rows_missing(Rule) == 0


def test_an_empty_history_table_gets_every_rows_initial_row_once(county):
    bulk_organizations(county, 3)
    Organization.history.all().delete()  # as on a new installation, before any edit

    assert write_initial_history(Organization) == Organization.objects.count()
    assert write_initial_history(Organization) == 0  # now not empty: the anti-join keeps it once
    assert Organization.history.count() == Organization.objects.count()
