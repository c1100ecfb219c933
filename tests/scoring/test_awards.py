"""Annual awards: proposals from the year's quarter totals, decided by the county admin."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEvent
from orgs.models import Organization
from scoring.models import Award
from scoring.services.awards import REJECTION_NEEDS_NOTE, decide_award, propose_awards
from tests.orgs.factories import CategoryFactory, OrganizationFactory
from tests.scoring.factories import AwardFactory, QuarterScoreFactory, scheme_of


def _year_of(org, totals, *, ranked=True):
    """Quarter scores of 2026 whose totals are `totals` (one per quarter)."""
    for quarter, total in enumerate(totals, start=1):
        QuarterScoreFactory(
            organization=org,
            year=2026,
            quarter=quarter,
            activity_points=Decimal(total),
            service_points=0,
            satisfaction_points=0,
            governance_points=0,
            bonus_points=0,
            ranked=ranked,
            not_ranked_reason="" if ranked else "serious",
        )


@pytest.fixture
def year_2026(county):
    """Category 文体娱乐类: A1 (100) and B1 (100) tie, A2 (90). 公益慈善类: one group (40)."""
    charity = CategoryFactory(name="公益慈善类")
    helper = OrganizationFactory(name="爱心助老队", community=county.community_b1, category=charity)
    _year_of(county.org_a1, [25, 25, 25, 25])
    _year_of(county.org_b1, [40, 30, 30])
    _year_of(county.org_a2, [30, 30, 30])
    _year_of(helper, [20, 20])
    return county


def _proposed():
    return sorted(
        (award.category.name, award.organization.name, award.rank_in_category, award.annual_total)
        for award in Award.objects.select_related("category", "organization")
    )


def test_top_of_each_category_is_proposed_with_ties(year_2026, county_admin):
    propose_awards(2026, county_admin)

    assert _proposed() == [
        ("公益慈善类", "爱心助老队", 1, Decimal(40)),
        ("文体娱乐类", "幸福社区书画协会", 1, Decimal(100)),
        ("文体娱乐类", "王家村秧歌队", 1, Decimal(100)),
    ]
    assert Award.objects.get(organization=year_2026.org_a1).quarters_counted == 4


def test_awards_per_category_of_the_scheme_widens_the_proposal(year_2026, county_admin):
    scheme = scheme_of(2026)
    scheme.awards_per_category = 3
    scheme.save()

    propose_awards(2026, county_admin)

    ranks = {award.organization.name: award.rank_in_category for award in Award.objects.all()}
    assert ranks["和平社区广场舞队"] == 3  # competition ranking: 1, 1, 3


def test_organisations_left_out_of_a_ranking_are_not_proposed(year_2026, county_admin):
    serious = OrganizationFactory(community=year_2026.community_a1)
    _year_of(serious, [50, 50])
    QuarterScoreFactory(
        organization=serious, year=2026, quarter=3, ranked=False, not_ranked_reason="serious"
    )
    merged = OrganizationFactory(
        community=year_2026.community_a1, status="merged", merged_into=year_2026.org_a2
    )
    _year_of(merged, [60, 60])

    propose_awards(2026, county_admin)

    proposed = set(Award.objects.values_list("organization_id", flat=True))
    assert serious.pk not in proposed
    assert merged.pk not in proposed


def test_reproposing_replaces_proposals_and_keeps_decisions(year_2026, county_admin):
    propose_awards(2026, county_admin)
    first = {award.organization_id: award.pk for award in Award.objects.all()}
    confirmed = Award.objects.get(organization=year_2026.org_a1)
    decide_award(confirmed, county_admin, Award.Status.CONFIRMED, "")
    # B1 drops: a new fourth quarter puts A2 ahead of it.
    QuarterScoreFactory(
        organization=year_2026.org_a2,
        year=2026,
        quarter=4,
        activity_points=Decimal(50),
        service_points=0,
        satisfaction_points=0,
        governance_points=0,
        bonus_points=0,
    )

    propose_awards(2026, county_admin)
    propose_awards(2026, county_admin)

    statuses = {
        award.organization.name: award.status
        for award in Award.objects.select_related("organization")
    }
    assert statuses == {
        "幸福社区书画协会": Award.Status.CONFIRMED,
        "和平社区广场舞队": Award.Status.PROPOSED,
        "爱心助老队": Award.Status.PROPOSED,
    }
    helper = Organization.objects.get(name="爱心助老队")
    assert Award.objects.get(organization=helper).pk == first[helper.pk]  # same row, updated


def test_rejection_needs_a_note_and_decisions_are_audited(year_2026, county_admin):
    propose_awards(2026, county_admin)
    award = Award.objects.get(organization=year_2026.org_b1)

    with pytest.raises(ValidationError) as error:
        decide_award(award, county_admin, Award.Status.REJECTED, "  ")
    decide_award(award, county_admin, Award.Status.REJECTED, "年内有群众投诉未办结")

    assert error.value.message_dict == {"note": [str(REJECTION_NEEDS_NOTE)]}
    award.refresh_from_db()
    assert (award.status, award.decided_by) == (Award.Status.REJECTED, county_admin)
    assert AuditEvent.objects.filter(action="scoring.award_decide").count() == 1
    assert AuditEvent.objects.filter(action="scoring.awards_propose").count() == 1


def test_only_the_county_admin_proposes_and_decides(year_2026, township_staff):
    award = AwardFactory(organization=year_2026.org_a1)

    with pytest.raises(PermissionDenied):
        propose_awards(2026, township_staff)
    with pytest.raises(PermissionDenied):
        decide_award(award, township_staff, Award.Status.CONFIRMED, "")


def test_county_admin_proposes_and_confirms_from_the_page(year_2026, client_as, county_admin):
    client = client_as(county_admin)

    client.post(reverse("scoring:awards_propose"), {"year": 2026})
    award = Award.objects.get(organization=year_2026.org_a1)
    client.post(
        reverse("scoring:award_decide", kwargs={"pk": award.pk}),
        {"status": "confirmed", "note": "县委常委会审定"},
    )
    page = client.get(reverse("scoring:awards"), {"year": 2026}).content.decode()

    award.refresh_from_db()
    assert award.status == Award.Status.CONFIRMED
    assert award.note == "县委常委会审定"
    assert f'data-testid="confirm-{award.pk}"' in page


def test_official_reads_the_awards_without_decision_buttons(year_2026, client_as, official):
    award = AwardFactory(organization=year_2026.org_a1)

    page = client_as(official).get(reverse("scoring:awards"), {"year": 2026}).content.decode()

    assert "幸福社区书画协会" in page
    assert f'data-testid="confirm-{award.pk}"' not in page
    assert 'data-testid="propose"' not in page
