"""The quarter ranking page, its run panel and an organisation's score page."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import RankingRun, ScoringQuarter
from tests.orgs.factories import CategoryFactory, OrganizationFactory
from tests.scoring.factories import QuarterScoreFactory, RankingRunFactory, ScoringQuarterFactory

RANKING = reverse("scoring:ranking")


def _score(org, *, quarter=2, **fields):
    return QuarterScoreFactory(organization=org, year=2026, quarter=quarter, **fields)


@pytest.fixture
def q2_ranking(county):
    """2026Q2 and Q1: B1 overtook A1; A2 is new; a merged group is not ranked."""
    ScoringQuarterFactory(year=2026, quarter=2)
    _score(county.org_a1, quarter=1, rank_county=1, rank_category=1, rank_township=1)
    _score(county.org_b1, quarter=1, rank_county=2, rank_category=2, rank_township=1)
    _score(
        county.org_b1,
        activity_points=Decimal(25),
        rank_county=1,
        rank_category=1,
        rank_township=1,
        previous_rank_county=2,
    )
    _score(county.org_a1, rank_county=2, rank_category=2, rank_township=1, previous_rank_county=1)
    _score(county.org_a2, rank_county=3, rank_category=3, rank_township=2)
    merged = OrganizationFactory(name="已合并的书画组", community=county.community_a1)
    _score(
        merged,
        ranked=False,
        not_ranked_reason="merged",
        rank_county=None,
        rank_category=None,
        rank_township=None,
    )
    return county


def _rows(response):
    return [(row.organization.name, row.rank, row.change.kind) for row in response.context["page"]]


def test_ranking_shows_ranks_changes_and_points_per_indicator(q2_ranking, client_as, official):
    response = client_as(official).get(RANKING, {"quarter": "2026Q2"})

    assert response.status_code == 200
    assert _rows(response) == [
        ("王家村秧歌队", 1, "up"),
        ("幸福社区书画协会", 2, "down"),
        ("和平社区广场舞队", 3, "new"),
    ]
    page = response.content.decode()
    assert "▲1" in page and "▼1" in page
    assert "65" in page  # B1's total: 25 + 10 + 20 + 8 + 2


def test_not_ranked_rows_are_listed_apart_with_their_reason(q2_ranking, client_as, org_contact):
    response = client_as(org_contact).get(RANKING, {"quarter": "2026Q2"})

    assert [row.organization.name for row in response.context["not_ranked"]] == ["已合并的书画组"]
    assert "已合并的书画组" not in [name for name, _rank, _kind in _rows(response)]
    assert 'data-testid="not-ranked-table"' in response.content.decode()
    assert response.context["not_ranked"][0].reason_label == "已并入其他组织"


def test_ranking_shows_as_of_time_and_finalised_state(q2_ranking, client_as, secretary):
    ScoringQuarter.objects.filter(year=2026, quarter=2).update(
        state=ScoringQuarter.State.FINALIZED, finalized_at=timezone.now()
    )

    page = client_as(secretary).get(RANKING, {"quarter": "2026Q2"}).content.decode()

    assert 'data-testid="as-of"' in page
    assert 'data-testid="finalized"' in page


def test_township_tab_ranks_within_the_users_township(q2_ranking, client_as, township_staff):
    response = client_as(township_staff).get(RANKING, {"quarter": "2026Q2", "scope": "township"})

    assert _rows(response) == [("幸福社区书画协会", 1, "same"), ("和平社区广场舞队", 2, "new")]


def test_category_tab_compares_with_last_quarters_rank_in_the_same_category(
    q2_ranking, client_as, county_admin
):
    other = CategoryFactory(name="公益慈善类", sort_order=9)
    org = OrganizationFactory(name="爱心助老队", community=q2_ranking.community_b1, category=other)
    _score(org, quarter=1, rank_category=2)
    _score(org, rank_county=4, rank_category=1, previous_rank_county=None)

    response = client_as(county_admin).get(
        RANKING, {"quarter": "2026Q2", "scope": "category", "category": other.pk}
    )

    assert _rows(response) == [("爱心助老队", 1, "up")]


def test_name_filter_narrows_the_ranking(q2_ranking, client_as, county_admin):
    response = client_as(county_admin).get(RANKING, {"quarter": "2026Q2", "q": "秧歌"})

    assert _rows(response) == [("王家村秧歌队", 1, "up")]


def test_htmx_filter_request_gets_only_the_table(q2_ranking, client_as, county_admin):
    response = client_as(county_admin).get(
        RANKING, {"quarter": "2026Q2", "q": "秧歌"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert 'data-testid="ranking-table"' in page
    assert "<html" not in page


def test_organisation_links_only_where_the_user_may_open_it(q2_ranking, client_as, secretary):
    page = client_as(secretary).get(RANKING, {"quarter": "2026Q2"}).content.decode()

    own = reverse("scoring:organization_score", kwargs={"pk": q2_ranking.org_a1.pk})
    far = reverse("scoring:organization_score", kwargs={"pk": q2_ranking.org_b1.pk})
    assert own in page
    assert far not in page
    assert "王家村秧歌队" in page


@pytest.mark.parametrize(
    ("persona", "recompute", "finalize"),
    [
        ("county_admin", True, True),
        ("township_staff", True, False),
        ("secretary", False, False),
        ("official", False, False),
        ("org_contact", False, False),
    ],
    indirect=["persona"],
)
def test_recompute_and_finalise_buttons_by_role(
    persona, recompute, finalize, q2_ranking, client_as
):
    page = client_as(persona).get(RANKING, {"quarter": "2026Q2"}).content.decode()

    assert ('data-testid="recompute"' in page) is recompute
    assert ('data-testid="finalize"' in page) is finalize


def test_finalised_quarter_offers_reopen_with_a_reason(q2_ranking, client_as, county_admin):
    ScoringQuarter.objects.filter(year=2026, quarter=2).update(state=ScoringQuarter.State.FINALIZED)

    page = client_as(county_admin).get(RANKING, {"quarter": "2026Q2"}).content.decode()

    assert 'data-testid="reopen-form"' in page
    assert 'name="reason"' in page
    assert 'data-testid="recompute"' not in page


def _many_scores(county, count):
    category = county.org_a1.category
    for n in range(count):
        org = OrganizationFactory(community=county.community_a1, category=category)
        _score(org, quarter=3, rank_county=n + 1, rank_category=n + 1, rank_township=n + 1)
    for _n in range(count // 5):
        org = OrganizationFactory(community=county.community_a2, category=category)
        _score(org, quarter=3, ranked=False, not_ranked_reason="serious", rank_county=None)


@pytest.mark.parametrize("scope", ["county", "category", "township"])
def test_ranking_query_count_does_not_grow_with_rows(
    scope, county, client_as, secretary, django_assert_max_num_queries
):
    ScoringQuarterFactory(year=2026, quarter=3)
    RankingRunFactory(year=2026, quarter=3)
    client = client_as(secretary)
    _many_scores(county, 5)
    with django_assert_max_num_queries(17) as few:
        client.get(RANKING, {"quarter": "2026Q3", "scope": scope})
    _many_scores(county, 60)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(RANKING, {"quarter": "2026Q3", "scope": scope})

    assert len(response.context["page"]) == 50
    assert len(response.context["not_ranked"]) == 13


def test_ranking_is_paginated(county, client_as, official):
    _many_scores(county, 60)

    response = client_as(official).get(RANKING, {"quarter": "2026Q3", "page": 2})

    assert response.context["page"].number == 2
    assert len(response.context["page"]) == 10


def test_run_panel_polls_while_the_run_is_active(county, client_as, official):
    RankingRunFactory(
        year=2026, quarter=3, status=RankingRun.Status.RUNNING, progress=40, stage="计算服务实效"
    )

    page = client_as(official).get(reverse("scoring:run_panel"), {"quarter": "2026Q3"})

    content = page.content.decode()
    assert 'hx-trigger="every 2s"' in content
    assert "40%" in content
    assert "计算服务实效" in content
    # The next poll asks for the same quarter (it lost it and fell back to the current one)
    assert f"quarter=2026Q3&county={county.county.pk}&watching=1" in content


def test_failed_run_shows_its_error_and_stops_polling(county, client_as, official):
    RankingRunFactory(
        year=2026, quarter=3, status=RankingRun.Status.FAILED, error="database is locked"
    )

    response = client_as(official).get(
        reverse("scoring:run_panel"),
        {"quarter": "2026Q3", "watching": "1"},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert "database is locked" in content
    assert "every 2s" not in content
    assert response["HX-Refresh"] == "true"


def test_run_panel_shows_the_latest_run_of_the_quarter(county, client_as, official):
    RankingRunFactory(year=2026, quarter=3, status=RankingRun.Status.FAILED, error="old failure")
    RankingRunFactory(year=2026, quarter=3, status=RankingRun.Status.SUCCEEDED)

    response = client_as(official).get(RANKING, {"quarter": "2026Q3"})

    assert response.context["run"].status == RankingRun.Status.SUCCEEDED
    assert "old failure" not in response.content.decode()


# An organisation's score page


def _score_url(org, **params):
    return reverse("scoring:organization_score", kwargs={"pk": org.pk})


def test_score_page_explains_points_ranks_and_trend(q2_ranking, client_as, org_contact):
    response = client_as(org_contact).get(_score_url(q2_ranking.org_a1), {"quarter": "2026Q2"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="explanation"' in page
    assert 'id="score-trend"' in page
    assert "vendor/chartjs-4.5.1/chart.umd.min.js" in page
    chart = json.loads(
        page.split('id="score-trend-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["labels"] == ["2026年第一季度", "2026年第二季度"]
    assert chart["total"] == [55.0, 55.0]
    assert response.context["score"].rank_county == 2
    assert response.context["county_change"].kind == "down"
    assert response.context["sizes"] == {"county": 3, "category": 3, "township": 2}
    assert [item.indicator for item in response.context["indicators"]][:4] == [
        "activity",
        "service",
        "satisfaction",
        "governance",
    ]


def test_score_page_defaults_to_the_latest_scored_quarter(q2_ranking, client_as, county_admin):
    response = client_as(county_admin).get(_score_url(q2_ranking.org_a1))

    assert response.context["quarter"] == (2026, 2)


def test_score_page_of_an_unranked_organisation_says_why(q2_ranking, client_as, county_admin):
    merged = q2_ranking.org_a1.__class__.objects.get(name="已合并的书画组")

    page = client_as(county_admin).get(_score_url(merged), {"quarter": "2026Q2"}).content.decode()

    assert 'data-testid="not-ranked"' in page


def test_score_page_without_any_score(county, client_as, county_admin):
    page = client_as(county_admin).get(_score_url(county.org_a1)).content.decode()

    assert 'data-testid="no-score"' in page
    assert 'id="score-trend"' not in page


def test_score_page_of_another_area_is_not_found(q2_ranking, client_as, org_contact):
    response = client_as(org_contact).get(_score_url(q2_ranking.org_a2), {"quarter": "2026Q2"})

    assert response.status_code == 404


def test_organisation_page_links_to_its_score(q2_ranking, client_as, org_contact):
    page = (
        client_as(org_contact)
        .get(reverse("orgs:organization_detail", kwargs={"pk": q2_ranking.org_a1.pk}))
        .content.decode()
    )

    assert 'data-testid="org-score"' in page
    assert _score_url(q2_ranking.org_a1) in page


# Recompute, finalise, re-open


def test_township_staff_recomputes_a_quarter_from_the_page(
    county, client_as, township_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(township_staff).post(
            reverse("scoring:recompute"), {"quarter": "2026Q1"}, follow=True
        )

    run = RankingRun.objects.get(year=2026, quarter=1)
    assert run.requested_by == township_staff
    assert run.status == RankingRun.Status.SUCCEEDED  # eager Celery in tests
    assert response.context["run"] == run
    assert ScoringQuarter.objects.get(year=2026, quarter=1).computed_at is not None


def test_recompute_of_a_finalised_quarter_is_refused_in_chinese(county, client_as, county_admin):
    ScoringQuarterFactory(year=2026, quarter=1, state=ScoringQuarter.State.FINALIZED)

    response = client_as(county_admin).post(
        reverse("scoring:recompute"), {"quarter": "2026Q1"}, follow=True
    )

    assert not RankingRun.objects.exists()
    assert "定稿" in " ".join(str(message) for message in response.context["messages"])


def test_the_running_quarter_cannot_be_finalised(county, client_as, county_admin):
    from scoring.selectors import current_quarter

    client_as(county_admin).post(
        reverse("scoring:quarter_finalize"), {"quarter": "{}Q{}".format(*current_quarter())}
    )

    assert not RankingRun.objects.exists()


def test_county_admin_finalises_an_ended_quarter(
    county, client_as, county_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(county_admin).post(reverse("scoring:quarter_finalize"), {"quarter": "2026Q1"})

    state = ScoringQuarter.objects.get(year=2026, quarter=1)
    assert state.is_finalized
    assert RankingRun.objects.get(year=2026, quarter=1).finalize is True


def test_reopening_needs_a_reason(county, client_as, county_admin):
    ScoringQuarterFactory(year=2026, quarter=1, state=ScoringQuarter.State.FINALIZED)
    client = client_as(county_admin)

    client.post(reverse("scoring:quarter_reopen"), {"quarter": "2026Q1", "reason": ""})
    assert ScoringQuarter.objects.get(year=2026, quarter=1).is_finalized

    client.post(
        reverse("scoring:quarter_reopen"), {"quarter": "2026Q1", "reason": "补录三季度活动"}
    )
    assert not ScoringQuarter.objects.get(year=2026, quarter=1).is_finalized
