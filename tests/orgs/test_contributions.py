"""The apps built on the ledger add to it through orgs.contributions, from their ready()."""

import pytest

from activities.selectors import last_verified_activity_on
from orgs import contributions


def test_the_organisation_page_sections_are_registered_in_order():
    assert [section.key for section in contributions.sections()] == [
        "members",
        "oversight",
        "party",
        "activities",
        "score",
    ]


def test_the_hooks_are_the_upper_apps_functions():
    assert contributions.HOOKS.last_verified_activity_on is last_verified_activity_on
    assert contributions.HOOKS.active_branch_exists is not None


def test_a_section_key_is_registered_once():
    members = contributions.sections()[0]
    contributions.register_section(members)  # the same again is harmless
    with pytest.raises(ValueError, match="members"):
        contributions.register_section(
            contributions.Section(key="members", order=99, context=members.context)
        )


def test_an_unregistered_hook_says_so(monkeypatch):
    monkeypatch.setattr(contributions.HOOKS, "active_branch_exists", None)
    with pytest.raises(RuntimeError, match="active_branch_exists"):
        contributions.active_branch_exists()
