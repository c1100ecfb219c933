"""The migration that introduced counties: a county's installation keeps working unchanged,
its townships in one county made from today's data, its administrators and officials its."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("areas", "0001_initial"), ("accounts", "0002_initial")]
AFTER = [("areas", "0003_township_county_required"), ("accounts", "0003_county_and_city_of_staff")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def test_todays_townships_and_county_staff_move_into_one_county(settings):
    settings.COUNTY_NAME = "平安县"
    old = _migrate(BEFORE)
    try:
        township = old.get_model("areas", "Township").objects.create(
            name="城关街道", kind="street", code="990101001"
        )
        old.get_model("areas", "Township").objects.create(
            name="青山镇", kind="township", code="990101002"
        )
        user = old.get_model("accounts", "User")
        admin = user.objects.create(username="wang", role="county_admin")
        staff = user.objects.create(username="li", role="township_staff", township=township)

        new = _migrate(AFTER)

        county = new.get_model("areas", "County").objects.get()
        assert (county.name, county.code) == ("平安县", "990101")
        townships = new.get_model("areas", "Township").objects.all()
        assert {row.county_id for row in townships} == {county.pk}
        users = new.get_model("accounts", "User").objects
        assert users.get(pk=admin.pk).county_id == county.pk
        assert users.get(pk=staff.pk).county_id is None
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
