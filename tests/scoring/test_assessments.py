"""Quarter assessments: secretaries and township staff assess the organisations of their area."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from scoring.models import QuarterAssessment, ScoringQuarter
from scoring.services import assessments as services
from tests.scoring.factories import QuarterAssessmentFactory, ScoringQuarterFactory

URL = reverse("scoring:assessments")


def _formset_post(rows, **extra):
    data = {
        "a-TOTAL_FORMS": len(rows),
        "a-INITIAL_FORMS": len(rows),
        "a-MIN_NUM_FORMS": 0,
        "a-MAX_NUM_FORMS": 200,
        **extra,
    }
    for index, (org_id, score, commendations, note) in enumerate(rows):
        data[f"a-{index}-organization"] = org_id
        data[f"a-{index}-community_score"] = score
        data[f"a-{index}-commendations"] = commendations
        data[f"a-{index}-note"] = note
    return data


def test_secretary_sees_only_the_organisations_of_her_community(county, client_as, secretary):
    response = client_as(secretary).get(URL, {"quarter": "2026Q3"})

    assert [org.name for org, _form in response.context["rows"]] == ["幸福社区书画协会"]


def test_township_staff_sees_the_organisations_of_the_township(county, client_as, township_staff):
    response = client_as(township_staff).get(URL, {"quarter": "2026Q3"})

    names = {org.name for org, _form in response.context["rows"]}
    assert names == {"幸福社区书画协会", "和平社区广场舞队"}


def test_secretary_saves_an_assessment_and_it_is_audited(county, client_as, secretary):
    response = client_as(secretary).post(
        f"{URL}?quarter=2026Q3", _formset_post([(county.org_a1.pk, 4, 1, "组织敬老活动")])
    )

    assert response.status_code == 302
    row = QuarterAssessment.objects.get(organization=county.org_a1, year=2026, quarter=3)
    assert (row.community_score, row.commendations, row.note) == (4, 1, "组织敬老活动")
    assert row.entered_by == secretary
    event = AuditEvent.objects.get(action="scoring.assessment_save")
    assert event.changes["community_score"] == [None, 4]


def test_existing_assessment_is_updated_not_duplicated(county, client_as, secretary):
    QuarterAssessmentFactory(organization=county.org_a1, year=2026, quarter=3, community_score=2)

    client_as(secretary).post(
        f"{URL}?quarter=2026Q3", _formset_post([(county.org_a1.pk, 5, 0, "")])
    )

    assert QuarterAssessment.objects.get(organization=county.org_a1).community_score == 5
    assert QuarterAssessment.objects.count() == 1


def test_posting_another_communitys_organisation_is_refused(county, client_as, secretary):
    response = client_as(secretary).post(
        f"{URL}?quarter=2026Q3",
        _formset_post([(county.org_a1.pk, 4, 0, ""), (county.org_b1.pk, 5, 3, "")]),
    )

    assert response.status_code == 200
    assert not QuarterAssessment.objects.exists()
    assert str(services.OUT_OF_AREA) in response.content.decode()


def test_score_out_of_range_is_refused_with_a_field_error(county, client_as, secretary):
    response = client_as(secretary).post(
        f"{URL}?quarter=2026Q3", _formset_post([(county.org_a1.pk, 6, 0, "")])
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not QuarterAssessment.objects.exists()


def test_finalised_quarter_is_refused_with_a_chinese_message(county, client_as, township_staff):
    ScoringQuarterFactory(year=2026, quarter=2, state=ScoringQuarter.State.FINALIZED)
    client = client_as(township_staff)

    page = client.get(URL, {"quarter": "2026Q2"}).content.decode()
    response = client.post(f"{URL}?quarter=2026Q2", _formset_post([(county.org_a1.pk, 4, 0, "")]))

    assert 'data-testid="closed"' in page
    assert 'data-testid="save"' not in page
    assert "已定稿" in response.content.decode()
    assert not QuarterAssessment.objects.exists()


def test_service_refuses_a_future_quarter(county, secretary):
    with pytest.raises(ValidationError):
        services.assessments_save(
            actor=secretary,
            quarter=(2099, 1),
            entries=[services.AssessmentEntry(county.org_a1.pk, 3, 0)],
        )


def test_the_next_recompute_counts_the_assessment(county, secretary, county_admin):
    from scoring.models import QuarterScore
    from scoring.services.compute import compute_quarter

    services.assessments_save(
        actor=secretary,
        quarter=(2026, 3),
        entries=[services.AssessmentEntry(county.org_a1.pk, 4, 2)],
    )
    compute_quarter(2026, 3)

    score = QuarterScore.objects.get(organization=county.org_a1, year=2026, quarter=3)
    assert score.community_assessment == 4
    assert score.commendations == 2


def test_assessment_page_query_count_is_bounded(
    county, client_as, county_admin, django_assert_max_num_queries
):
    from tests.orgs.factories import OrganizationFactory

    client = client_as(county_admin)
    for _n in range(40):
        org = OrganizationFactory(community=county.community_a1)
        QuarterAssessmentFactory(organization=org, year=2026, quarter=3)

    with django_assert_max_num_queries(11):
        response = client.get(URL, {"quarter": "2026Q3"})

    assert len(response.context["rows"]) == 25
