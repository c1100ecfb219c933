"""The ledgers registry: each app offers its ledgers from ready(); exports finds them there."""

import pytest

from core import ledgers
from exports.registry import KINDS, LIST_URLS, ledger_builder
from orgs import sheets as org_sheets


def test_every_app_registered_its_ledgers_in_the_export_page_order():
    assert list(KINDS) == [
        "orgs",
        "members",
        "branches",
        "meetings",
        "bookings",
        "activities",
        "ranking",
        "awards",
    ]
    assert set(LIST_URLS) == set(KINDS)
    assert ledger_builder("members") is org_sheets.members_ledger


def test_a_kind_is_registered_once():
    # the same builder again is harmless (ready() may run twice in a process)
    ledgers.register("members", org_sheets.members_ledger, list_url="orgs:person_list")
    with pytest.raises(ValueError, match="members"):
        ledgers.register("members", org_sheets.organizations_ledger, list_url="x")
    assert ledger_builder("members") is org_sheets.members_ledger
