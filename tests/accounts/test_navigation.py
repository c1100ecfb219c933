"""Each role sees its own menu, and the error pages speak Chinese."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.context_processors import menu_for

# persona -> the menu entries (URL names) it sees
LEDGER = ["home", "orgs:organization_list", "orgs:person_list"]
OVERVIEW = ["dashboards:overview"]
OVERSIGHT = ["orgs:merge_list", "orgs:zombie_list"]
IMPORTS = ["exports:import_upload"]
ACTIVITIES = ["activities:activity_list"]
VERIFY = ["activities:verification_queue"]
MEDIATION = ["activities:mediation_list"]
BRANCHES = ["party_branches:branch_list", "party_branches:compliance_board"]
COVERAGE = ["party_branches:coverage"]
VENUES = ["venues:center_list"]
MY_BOOKINGS = ["venues:my_bookings"]
APPROVALS = ["venues:approval_queue"]
UTILISATION = ["venues:utilisation"]
AREAS = ["areas:township_list", "areas:community_list"]
RANKING = ["scoring:ranking"]
ASSESSMENTS = ["scoring:assessments"]
SCORING_OVERVIEW = ["scoring:scheme", "scoring:awards"]
EXPORTS = ["exports:export_list"]
EXPECTED_MENUS = {
    "county_admin": [
        "home",
        *OVERVIEW,
        *LEDGER[1:],
        *OVERSIGHT,
        *IMPORTS,
        *ACTIVITIES,
        *VERIFY,
        *MEDIATION,
        *BRANCHES,
        *COVERAGE,
        *VENUES,
        *MY_BOOKINGS,
        *APPROVALS,
        *UTILISATION,
        *RANKING,
        *ASSESSMENTS,
        *SCORING_OVERVIEW,
        *AREAS,
        *EXPORTS,
    ],
    "township_staff": [
        "home",
        *OVERVIEW,
        *LEDGER[1:],
        *OVERSIGHT,
        *IMPORTS,
        *ACTIVITIES,
        *VERIFY,
        *MEDIATION,
        *BRANCHES,
        *COVERAGE,
        *VENUES,
        *MY_BOOKINGS,
        *APPROVALS,
        *UTILISATION,
        *RANKING,
        *ASSESSMENTS,
        *SCORING_OVERVIEW,
        *AREAS,
        *EXPORTS,
    ],
    "secretary": [
        *LEDGER,
        *ACTIVITIES,
        *VERIFY,
        *MEDIATION,
        *BRANCHES,
        *VENUES,
        *MY_BOOKINGS,
        *APPROVALS,
        *RANKING,
        *ASSESSMENTS,
        *AREAS,
        *EXPORTS,
    ],
    "official": [
        "home",
        *OVERVIEW,
        *LEDGER[1:],
        *OVERSIGHT,
        *ACTIVITIES,
        *MEDIATION,
        *BRANCHES,
        *COVERAGE,
        *VENUES,
        *UTILISATION,
        *RANKING,
        *SCORING_OVERVIEW,
        *AREAS,
        *EXPORTS,
    ],
    "org_contact": [
        "home",
        "orgs:organization_list",
        *ACTIVITIES,
        *MEDIATION,
        *BRANCHES,
        *VENUES,
        *MY_BOOKINGS,
        *RANKING,
        *EXPORTS,
    ],
}


@pytest.mark.parametrize("persona", list(EXPECTED_MENUS), indirect=True)
def test_each_role_sees_only_its_menu(persona, client):
    client.force_login(persona)

    response = client.get(reverse("home"))

    menu = [entry["url_name"] for entry in response.context["menu"]]
    assert menu == EXPECTED_MENUS[persona.username]
    page = response.content.decode()
    for entry in response.context["menu"]:
        assert f'href="{entry["url"]}"' in page


@pytest.mark.parametrize("persona", list(EXPECTED_MENUS), indirect=True)
def test_every_menu_entry_opens_for_its_role(persona, client):
    client.force_login(persona)

    for entry in menu_for(persona):
        assert client.get(entry["url"]).status_code == 200, entry["url_name"]


def test_server_error_page_is_chinese_and_standalone():
    page = render_to_string("500.html")

    assert "系统出现错误" in page
    assert "不会只保存一半" in page
